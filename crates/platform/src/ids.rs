//! Newtype ids: a `UserId` can never be passed where a `DepartmentId` is meant.
//!
//! The ids that the platform and the civic building blocks speak of (people, departments,
//! themes, municipalities) are declared here; each feature declares its own subjects' ids
//! with [`id_type!`](crate::id_type). The expansion derives the diesel traits under the
//! declaring crate's `ssr` feature, so that crate needs `diesel` (optional, enabled by
//! `ssr`).

/// Declares an id newtype over `u64` that serialises as a bare number and, on the server,
/// is stored as `BIGINT UNSIGNED`.
#[macro_export]
macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        #[cfg_attr(
            feature = "ssr",
            derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)
        )]
        #[cfg_attr(
            feature = "ssr",
            diesel(sql_type = diesel::sql_types::Unsigned<diesel::sql_types::BigInt>)
        )]
        pub struct $name(pub u64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.trim().parse().map(Self)
            }
        }

        #[cfg(feature = "ssr")]
        impl diesel::serialize::ToSql<
            diesel::sql_types::Unsigned<diesel::sql_types::BigInt>,
            diesel::mysql::Mysql,
        > for $name
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::mysql::Mysql>,
            ) -> diesel::serialize::Result {
                <u64 as diesel::serialize::ToSql<
                    diesel::sql_types::Unsigned<diesel::sql_types::BigInt>,
                    diesel::mysql::Mysql,
                >>::to_sql(&self.0, out)
            }
        }

        #[cfg(feature = "ssr")]
        impl diesel::deserialize::FromSql<
            diesel::sql_types::Unsigned<diesel::sql_types::BigInt>,
            diesel::mysql::Mysql,
        > for $name
        {
            fn from_sql(
                bytes: diesel::mysql::MysqlValue<'_>,
            ) -> diesel::deserialize::Result<Self> {
                <u64 as diesel::deserialize::FromSql<
                    diesel::sql_types::Unsigned<diesel::sql_types::BigInt>,
                    diesel::mysql::Mysql,
                >>::from_sql(bytes)
                .map(Self)
            }
        }
    };
}

id_type!(
    /// A registered user.
    UserId
);
id_type!(
    /// A government department.
    DepartmentId
);
id_type!(
    /// A problem theme (category).
    ThemeId
);
id_type!(
    /// One of the 44 municipalities of Krasnodar Krai.
    MunicipalityId
);

/// An id as a link or a form names it: `NotFound` when the text is not one, since no
/// object has that id.
pub fn parse_id<T: std::str::FromStr>(text: &str) -> Result<T, crate::error::AppError> {
    text.trim()
        .parse()
        .map_err(|_| crate::error::AppError::NotFound)
}
