//! Readers and writers: JSON records, TimeML, TIMEX2, text.

pub mod json;
pub mod timeline;
pub mod timeml;
pub mod timex2;
