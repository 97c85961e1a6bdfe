//! Anchoring: candidates become typed values, resolved against the reference time.

use crate::recognize::{Candidate, RuleSet};
use crate::{Context, Timex};

pub(crate) fn resolve(
    _text: &str,
    _cands: Vec<Candidate>,
    _ctx: &Context,
    _rules: &RuleSet,
) -> Vec<Timex> {
    Vec::new()
}
