//! Shared interface pieces that know no feature: the layout, the map, error display.

pub mod errors;
pub mod form;
pub mod layout;
pub mod map;
pub mod table;
