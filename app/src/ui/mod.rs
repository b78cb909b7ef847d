//! Shared interface pieces that know no feature: the layout, the map, error display.

pub mod chart;
pub mod errors;
pub mod form;
pub mod layout;
pub mod map;
pub mod point_picker;
pub mod table;
