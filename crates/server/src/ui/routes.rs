//! Every UI route, in one table that both builds the router and lists the routes, since
//! axum cannot list a router's routes. The authorisation matrix
//! (`tests/http/matrix.rs`) reads `ROUTES`, so a route added here without an
//! expectation there fails it.

use super::*;

/// Who may use a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone: pages without stored data (sign-in, the language switch, static files).
    Public,
    /// A signed-in user, and only on their own provider's objects.
    SignedIn,
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

/// `METHOD "path" Access => handler [, layer L];` each line one route; builds `ROUTES`
/// and `build()` from the same lines, so they cannot disagree.
macro_rules! routes {
    ($($method:ident $path:literal $access:ident => $handler:expr $(, layer $layer:expr)?;)*) => {
        pub const ROUTES: &[UiRoute] = &[$(UiRoute {
            method: routes!(@name $method),
            path: $path,
            access: Access::$access,
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
    get "/dashboard" SignedIn => dashboard::page;
    get "/journeys" SignedIn => journeys::page;
    get "/journeys/touchpoints" SignedIn => journeys::touchpoints;
    get "/town-centre" SignedIn => town_centre::page;
    get "/segments" SignedIn => segments::page;
    post "/segments" SignedIn => segments::create;
    post "/segments/{id}/delete" SignedIn => segments::delete;
    get "/customers" SignedIn => customers::list;
    get "/profiles/{id}" SignedIn => people::profile;
    get "/persons/review" SignedIn => review::page;
    post "/persons/review" SignedIn => review::act;
    get "/persons/{id}" SignedIn => person::page;
    post "/persons/{id}/unmerge" SignedIn => person::unmerge;
    get "/research" SignedIn => research::pages::list;
    post "/research" SignedIn => research::forms::start;
    get "/research/{id}" SignedIn => research::pages::board;
    post "/research/{id}/forms/{form}" SignedIn => research::forms::submit,
        layer DefaultBodyLimit::max(research::forms::FORM_LIMIT);
    get "/research/{id}/attachments/{attachment}" SignedIn => research::pages::attachment;
    get "/research/{id}/events" SignedIn => live::events;
    get "/research/{id}/{document}" SignedIn => research::pages::strategy;
    get "/surveys" SignedIn => surveys::results::list;
    get "/surveys/{id}" SignedIn => surveys::results::results;
    get "/surveys/new" SignedIn => surveys::new_form;
    post "/surveys/new" SignedIn => surveys::create;
    get "/surveys/{id}/edit" SignedIn => surveys::edit;
    post "/surveys/{id}/edit/{action}" SignedIn => surveys::change;
    get "/surveys/{id}/qr.svg" SignedIn => surveys::qr;
    get "/quarantine" SignedIn => quarantine::page;
    post "/quarantine" SignedIn => quarantine::act;
    get "/event-names" SignedIn => event_names::page;
    post "/event-names" SignedIn => event_names::edit;
    get "/codebook" SignedIn => codebook::page;
    post "/codebook" SignedIn => codebook::edit;
    get "/codebook.qdc" SignedIn => codebook::export;
    post "/codebook/import" SignedIn => codebook::import;
    get "/surveys/{id}/coding" SignedIn => coding::page;
    post "/surveys/{id}/coding/spans" SignedIn => coding::code;
    post "/surveys/{id}/coding/spans/{coding}/delete" SignedIn => coding::remove;
    post "/surveys/{id}/coding/quotes" SignedIn => coding::send_quote;
    get "/surveys/{id}/coding/codes.csv" SignedIn => coding::codes_csv;
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
    get "/static/app.css" Public => stylesheet;
    get "/static/live.js" Public => live_script;
    get "/static/coding.js" Public => coding_script;
}
