//! Export and import: the whole project as one JSON value that round-trips
//! exactly. Import re-checks everything (`Project::check`), because the value may
//! have been edited by hand or come from another installation.

use super::project::Project;
use crate::invalid::{Invalid, List, Reason};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

pub const EXPORT_FORMAT: &str = "motesplats.research.project";
pub const EXPORT_VERSION: u32 = 1;

/// The exported file: a format tag and version around the project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectExport {
    /// Always `motesplats.research.project`.
    pub format: String,
    pub version: u32,
    pub project: Project,
}

impl Project {
    /// The project as one JSON value.
    pub fn export(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(ProjectExport {
            format: EXPORT_FORMAT.into(),
            version: EXPORT_VERSION,
            project: self.clone(),
        })
    }

    /// Reads an exported value back, checking format, version and integrity.
    pub fn import(value: Value) -> Result<Project, Invalid> {
        match value.get("format").and_then(Value::as_str) {
            Some(EXPORT_FORMAT) => {}
            Some(other) => {
                return Err(Invalid::one(
                    "format",
                    Reason::OneOf {
                        value: other.to_string(),
                        allowed: List::of([EXPORT_FORMAT]),
                    },
                ));
            }
            None => return Err(Invalid::one("format", Reason::Required)),
        }
        match value.get("version").and_then(Value::as_u64) {
            Some(v) if v == u64::from(EXPORT_VERSION) => {}
            Some(v) => {
                return Err(Invalid::one(
                    "version",
                    Reason::Version {
                        value: v.to_string(),
                        supported: EXPORT_VERSION.to_string(),
                    },
                ));
            }
            None => return Err(Invalid::one("version", Reason::Required)),
        }
        let export: ProjectExport = serde_json::from_value(value).map_err(|e| {
            Invalid::one(
                "project",
                Reason::Unreadable {
                    detail: e.to_string(),
                },
            )
        })?;
        export.project.check().map_err(|e| e.within("project"))?;
        Ok(export.project)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::fixture;
    use crate::research::ids::FunctionId;

    #[test]
    fn a_full_project_round_trips_exactly() {
        let p = fixture::full_project();
        let value = p.export().unwrap();
        assert_eq!(Project::import(value.clone()).unwrap(), p);
        // Through text, as a file would.
        let text = serde_json::to_string_pretty(&value).unwrap();
        let back = Project::import(serde_json::from_str(&text).unwrap()).unwrap();
        assert_eq!(back, p);
        assert_eq!(back.export().unwrap(), value);
        // A second round, with its carried-over context, too.
        let next = p.next_round(fixture::now()).unwrap();
        assert_eq!(Project::import(next.export().unwrap()).unwrap(), next);
    }

    #[test]
    fn import_names_what_is_wrong() {
        let p = fixture::full_project();
        let mut value = p.export().unwrap();
        value["format"] = "something.else".into();
        assert_eq!(Project::import(value).unwrap_err().0[0].field, "format");

        let mut value = p.export().unwrap();
        value["version"] = 2.into();
        assert_eq!(Project::import(value).unwrap_err().0[0].field, "version");

        let mut value = p.export().unwrap();
        value["project"]["title"] = 7.into();
        assert_eq!(Project::import(value).unwrap_err().0[0].field, "project");

        let mut broken = p.clone();
        broken.moments[0].stances[0]
            .functions
            .push(FunctionId::new());
        let e = Project::import(broken.export().unwrap()).unwrap_err();
        assert_eq!(e.0[0].field, "project.moments[0].stances[0].functions[1]");
    }
}
