//! Tracking plans: which touchpoint kinds a provider expects and what properties
//! each carries (JSON Schema). An event that breaks the plan is either rejected (and
//! kept aside in quarantine) or accepted and flagged, as the provider chooses.

use crate::invalid::{FieldError, Invalid, Reason, text};
use crate::lang::Lang;
use crate::touchpoint::NewTouchpoint;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanMode {
    /// Events that break the plan are rejected and quarantined.
    Reject,
    /// Events that break the plan are stored with their violations as flags.
    Flag,
}

/// The longest name a provider gives a kind.
const LABEL_MAX: usize = 60;

/// What a planned kind of touchpoint carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KindPlan {
    #[serde(default)]
    pub description: Option<String>,
    /// What the provider calls the kind on its pages, per language, such as
    /// `{"sv": "Bordsbokning", "en": "Table booking"}`; without one the kind's
    /// built-in words (or the key) are shown.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub label: Option<BTreeMap<Lang, String>>,
    /// A JSON Schema for the `properties` object; absent means any object.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub properties: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackingPlan {
    pub mode: PlanMode,
    /// Whether kinds not in `kinds` are allowed.
    #[serde(default)]
    pub allow_unplanned_kinds: bool,
    pub kinds: BTreeMap<String, KindPlan>,
}

impl TrackingPlan {
    /// What the provider calls `kind` in `lang`, if it named it.
    pub fn label(&self, kind: &str, lang: Lang) -> Option<&str> {
        self.kinds
            .get(kind)?
            .label
            .as_ref()?
            .get(&lang)
            .map(String::as_str)
    }
}

/// A plan with its schemas compiled, ready to check events quickly.
pub struct CheckedPlan {
    pub plan: TrackingPlan,
    validators: BTreeMap<String, Option<jsonschema::Validator>>,
}

impl std::fmt::Debug for CheckedPlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckedPlan")
            .field("plan", &self.plan)
            .finish()
    }
}

impl CheckedPlan {
    /// Compiles every schema; a schema that is not valid JSON Schema names its kind.
    pub fn compile(plan: TrackingPlan) -> Result<Self, Invalid> {
        let mut errors = Vec::new();
        let mut validators = BTreeMap::new();
        for (kind, k) in &plan.kinds {
            if let Err(e) = crate::touchpoint::TouchpointKind::parse(kind) {
                errors.extend(e.within(&format!("kinds.{kind}")).0);
                continue;
            }
            for (lang, label) in k.label.iter().flatten() {
                let field = format!("kinds.{kind}.label.{lang}");
                if let Err(e) = text(&field, label, LABEL_MAX) {
                    errors.extend(e.0);
                }
            }
            let validator = match &k.properties {
                None => None,
                // JSON Schema allows `true` and `false` too; the plan's schema says object.
                Some(schema) if !schema.is_object() => {
                    errors.push(FieldError {
                        field: format!("kinds.{kind}.properties"),
                        reason: Reason::SchemaObject,
                    });
                    None
                }
                Some(schema) => match jsonschema::validator_for(schema) {
                    Ok(v) => Some(v),
                    Err(e) => {
                        errors.push(FieldError {
                            field: format!("kinds.{kind}.properties"),
                            reason: Reason::BadSchema {
                                detail: e.to_string(),
                            },
                        });
                        None
                    }
                },
            };
            validators.insert(kind.clone(), validator);
        }
        if errors.is_empty() {
            Ok(CheckedPlan { plan, validators })
        } else {
            Err(Invalid(errors))
        }
    }

    /// The ways `t` breaks the plan; empty when it keeps it.
    pub fn violations(&self, t: &NewTouchpoint) -> Vec<FieldError> {
        let kind = t.kind.as_str();
        match self.validators.get(kind) {
            None if self.plan.allow_unplanned_kinds => Vec::new(),
            None => vec![FieldError {
                field: "kind".into(),
                reason: Reason::NotInPlan {
                    kind: kind.to_string(),
                },
            }],
            Some(None) => Vec::new(),
            Some(Some(validator)) => {
                let properties = Value::Object(t.properties.clone());
                validator
                    .iter_errors(&properties)
                    .map(|e| {
                        let path = e.instance_path().to_string();
                        let field = if path.is_empty() {
                            "properties".to_string()
                        } else {
                            format!("properties{}", path.replace('/', "."))
                        };
                        FieldError {
                            field,
                            reason: Reason::BreaksPlan {
                                detail: e.to_string(),
                            },
                        }
                    })
                    .collect()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::touchpoint::TouchpointInput;
    use serde_json::json;

    fn plan(mode: &str) -> CheckedPlan {
        let plan: TrackingPlan = serde_json::from_value(json!({
            "mode": mode,
            "kinds": {
                "purchase": {"properties": {
                    "type": "object", "required": ["amount_sek"],
                    "properties": {"amount_sek": {"type": "number", "minimum": 0}}
                }},
                "visit": {}
            }
        }))
        .unwrap();
        CheckedPlan::compile(plan).unwrap()
    }

    #[test]
    fn a_provider_names_its_own_kinds() {
        let plan: TrackingPlan = serde_json::from_value(json!({
            "mode": "flag",
            "kinds": {"table_booking": {"label": {"sv": "Bordsbokning", "en": "Table booking"}}}
        }))
        .unwrap();
        assert_eq!(plan.label("table_booking", Lang::Sv), Some("Bordsbokning"));
        assert_eq!(plan.label("visit", Lang::Sv), None);
        let mut unnamed = plan.clone();
        unnamed
            .kinds
            .get_mut("table_booking")
            .unwrap()
            .label
            .as_mut()
            .unwrap()
            .insert(Lang::En, " ".into());
        let refused = CheckedPlan::compile(unnamed).unwrap_err();
        assert_eq!(refused.0[0].field, "kinds.table_booking.label.en");
        assert_eq!(refused.0[0].reason, Reason::Empty);
        let bad_language = serde_json::from_value::<TrackingPlan>(json!({
            "mode": "flag", "kinds": {"visit": {"label": {"de": "Besuch"}}}
        }));
        assert!(bad_language.is_err());
    }

    fn event(kind: &str, properties: Value) -> NewTouchpoint {
        let input: TouchpointInput = serde_json::from_value(json!({
            "identifiers": [{"kind": "customer_number", "value": "1"}], "channel": "store", "kind": kind,
            "occurred_at": "2026-11-20T10:00:00Z", "properties": properties
        }))
        .unwrap();
        NewTouchpoint::parse(
            input,
            "SE",
            |_| true,
            "2026-11-23T00:00:00Z".parse().unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn events_are_checked_against_their_kind() {
        let p = plan("reject");
        assert!(
            p.violations(&event("purchase", json!({"amount_sek": 129})))
                .is_empty()
        );
        assert!(
            p.violations(&event("visit", json!({"anything": true})))
                .is_empty()
        );
        let v = p.violations(&event("purchase", json!({"amount_sek": -5})));
        assert_eq!(v[0].field, "properties.amount_sek");
        let v = p.violations(&event("purchase", json!({})));
        assert_eq!(v[0].field, "properties");
        assert_eq!(v[0].reason.code(), "breaks-plan");
        assert!(v[0].reason.to_string().contains("amount_sek"));
        let v = p.violations(&event("refund", json!({})));
        assert_eq!(v[0].field, "kind");
    }

    #[test]
    fn bad_schemas_and_kinds_are_named() {
        let plan: TrackingPlan = serde_json::from_value(json!({
            "mode": "flag", "kinds": {"Bad Kind": {}, "ok": {"properties": {"type": 12}}}
        }))
        .unwrap();
        let e = CheckedPlan::compile(plan).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["kinds.Bad Kind", "kinds.ok.properties"]);
        let boolean: TrackingPlan =
            serde_json::from_value(json!({"mode": "flag", "kinds": {"k": {"properties": false}}}))
                .unwrap();
        let refused = CheckedPlan::compile(boolean).unwrap_err();
        assert_eq!(refused.0[0].field, "kinds.k.properties");
    }
}
