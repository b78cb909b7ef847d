//! Shared interface pieces that know no feature: the map, forms, tables, error display, the
//! reaction clock's countdown, the file poster.

pub mod chart;
pub mod countdown;
pub mod errors;
pub mod form;
pub mod map;
pub mod point_picker;
pub mod table;
#[cfg(feature = "hydrate")]
pub mod upload;
