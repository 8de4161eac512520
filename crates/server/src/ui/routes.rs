//! Every UI route, in one table that both builds the router and lists the routes, since
//! axum cannot list a router's routes. The authorisation matrix
//! (`tests/http/matrix.rs`) reads `ROUTES`, so a route added here without an
//! expectation there fails it.

use super::*;
use roles::Capability::{self, Account, Figures, Persons, Research, Settings, Staff, Surveys};

/// Who may use a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone: pages without stored data (sign-in, the language switch, static files).
    Public,
    /// A signed-in user whose role has this capability (`roles.rs`), and only on
    /// their own provider's objects.
    Staff(Capability),
    /// Anyone holding a survey's public link (and for a resume link, the response's).
    SurveyLink,
    /// A person signed in with a one-time code, and only on their own data.
    Person,
}

/// One method of one route.
#[derive(Clone, Copy, Debug)]
pub struct UiRoute {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

/// `METHOD "path" Access => handler [, layer L];` each line one route (a staff
/// page's access names its capability: `Staff(Persons)`); builds `ROUTES` and
/// `build()` from the same lines, so they cannot disagree.
macro_rules! routes {
    ($($method:ident $path:literal $access:ident $(($capability:ident))? => $handler:expr $(, layer $layer:expr)?;)*) => {
        pub const ROUTES: &[UiRoute] = &[$(UiRoute {
            method: routes!(@name $method),
            path: $path,
            access: Access::$access $(($capability))?,
        }),*];

        /// The UI router (without the layers `ui::router` puts around it).
        pub fn build() -> Router<AppState> {
            let router = Router::new();
            $(let router = router.route($path, $method($handler)$(.layer($layer))?);)*
            router
        }
    };
    (@name get) => { "GET" };
    (@name post) => { "POST" };
}

routes! {
    get "/" Public => || async { Redirect::to("/dashboard") };
    get "/sign-in" Public => session::form;
    post "/sign-in" Public => session::sign_in;
    post "/sign-out" Public => session::sign_out;
    get "/lang" Public => switch_language;
    get "/dashboard" Staff(Figures) => dashboard::page;
    get "/journeys" Staff(Figures) => journeys::page;
    get "/journeys/touchpoints" Staff(Persons) => journeys::touchpoints;
    get "/town-centre" Staff(Figures) => town_centre::page;
    get "/segments" Staff(Figures) => segments::page;
    post "/segments" Staff(Figures) => segments::create;
    post "/segments/{id}/delete" Staff(Figures) => segments::delete;
    get "/customers" Staff(Persons) => customers::list;
    get "/profiles/{id}" Staff(Persons) => people::profile;
    get "/persons/review" Staff(Persons) => review::page;
    post "/persons/review" Staff(Persons) => review::act;
    get "/persons/{id}" Staff(Persons) => person::page;
    post "/persons/{id}/unmerge" Staff(Persons) => person::unmerge;
    get "/research" Staff(Research) => research::pages::list;
    post "/research" Staff(Research) => research::forms::start;
    get "/research/{id}" Staff(Research) => research::pages::board;
    post "/research/{id}/forms/{form}" Staff(Research) => research::forms::submit,
        layer DefaultBodyLimit::max(research::forms::FORM_LIMIT);
    get "/research/{id}/attachments/{attachment}" Staff(Research) => research::pages::attachment;
    get "/research/{id}/events" Staff(Research) => live::events;
    get "/research/{id}/{document}" Staff(Research) => research::pages::strategy;
    get "/surveys" Staff(Surveys) => surveys::results::list;
    get "/surveys/{id}" Staff(Surveys) => surveys::results::results;
    get "/surveys/new" Staff(Surveys) => surveys::new_form;
    post "/surveys/new" Staff(Surveys) => surveys::create;
    get "/surveys/{id}/edit" Staff(Surveys) => surveys::edit;
    post "/surveys/{id}/edit/{action}" Staff(Surveys) => surveys::change;
    get "/surveys/{id}/qr.svg" Staff(Surveys) => surveys::qr;
    get "/quarantine" Staff(Settings) => quarantine::page;
    post "/quarantine" Staff(Settings) => quarantine::act;
    get "/event-names" Staff(Settings) => event_names::page;
    post "/event-names" Staff(Settings) => event_names::edit;
    get "/codebook" Staff(Surveys) => codebook::page;
    post "/codebook" Staff(Surveys) => codebook::edit;
    get "/codebook.qdc" Staff(Surveys) => codebook::export;
    post "/codebook/import" Staff(Surveys) => codebook::import;
    get "/surveys/{id}/coding" Staff(Surveys) => coding::page;
    post "/surveys/{id}/coding/spans" Staff(Surveys) => coding::code;
    post "/surveys/{id}/coding/spans/{coding}/delete" Staff(Surveys) => coding::remove;
    post "/surveys/{id}/coding/quotes" Staff(Surveys) => coding::send_quote;
    get "/surveys/{id}/coding/codes.csv" Staff(Surveys) => coding::codes_csv;
    get "/s/{id}" SurveyLink => surveys::public::form;
    post "/s/{id}" SurveyLink => surveys::public::submit;
    get "/s/{id}/r/{response}" SurveyLink => surveys::public::resume;
    post "/s/{id}/r/{response}" SurveyLink => surveys::public::continue_answer;
    get "/me" Person => me::page::page;
    post "/me/preferences" Person => me::page::save_preferences;
    post "/me/consents" Person => me::page::choose;
    get "/me/export.json" Person => me::export::json;
    get "/me/export/{table}" Person => me::export::csv;
    post "/me/grants" Person => me::grants::create;
    post "/me/rectifications" Person => me::rectifications::ask;
    post "/me/erase" Person => me::erase::erase;
    post "/me/grants/{id}/revoke" Person => me::grants::revoke;
    get "/me/sign-in" Public => me::sign_in::form;
    post "/me/sign-in" Public => me::sign_in::send_code;
    post "/me/code" Public => me::sign_in::redeem;
    post "/me/sign-out" Public => me::sign_in::sign_out;
    get "/staff" Staff(Staff) => staff::page;
    post "/staff/invite" Staff(Staff) => staff::invite;
    get "/staff/audit" Staff(Staff) => audit::page;
    post "/staff/{id}/role" Staff(Staff) => staff::change_role;
    post "/staff/{id}/remove" Staff(Staff) => staff::remove;
    get "/sign-in/invitation/{link}" Public => staff::invitation;
    post "/sign-in/invitation/{link}" Public => staff::accept;
    get "/account/password" Staff(Account) => account::password_form;
    post "/account/password" Staff(Account) => account::change_password;
    get "/sign-in/reset" Public => account::reset_form;
    post "/sign-in/reset" Public => account::ask_reset;
    get "/sign-in/reset/{link}" Public => account::reset_link;
    post "/sign-in/reset/{link}" Public => account::reset;
    get "/static/app.css" Public => stylesheet;
    get "/static/live.js" Public => live_script;
    get "/static/coding.js" Public => coding_script;
}
