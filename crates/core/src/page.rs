//! Keyset paging: stable under concurrent inserts, cheap on large tables.

use crate::invalid::{Invalid, Reason};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The id of the last row of the previous page; rows are ordered by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = String)]
pub struct Cursor(pub Uuid);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: u32,
    pub after: Option<Cursor>,
}

impl PageRequest {
    pub const DEFAULT_LIMIT: u32 = 100;
    pub const MAX_LIMIT: u32 = 1000;

    pub fn parse(limit: Option<u32>, after: Option<&str>) -> Result<Self, Invalid> {
        let limit = limit.unwrap_or(Self::DEFAULT_LIMIT);
        if !(1..=Self::MAX_LIMIT).contains(&limit) {
            return Err(Invalid::one(
                "limit",
                Reason::Range {
                    low: 1,
                    high: i64::from(Self::MAX_LIMIT),
                },
            ));
        }
        let after = after
            .map(|a| Uuid::parse_str(a).map(Cursor))
            .transpose()
            .map_err(|_| Invalid::one("after", Reason::NotCursor))?;
        Ok(PageRequest { limit, after })
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest {
            limit: Self::DEFAULT_LIMIT,
            after: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_cursors_are_checked() {
        assert_eq!(PageRequest::parse(None, None).unwrap().limit, 100);
        assert_eq!(
            PageRequest::parse(Some(0), None).unwrap_err().0[0].field,
            "limit"
        );
        assert_eq!(
            PageRequest::parse(None, Some("x")).unwrap_err().0[0].field,
            "after"
        );
    }
}
