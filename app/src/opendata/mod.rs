//! The open-data portal: the datasets the region publishes and the files that describe them
//! (the Russian methodological recommendations v3.0, DCAT-AP, Frictionless).

pub mod format;
