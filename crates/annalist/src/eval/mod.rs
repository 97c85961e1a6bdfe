//! TempEval-3 scoring of time expressions.
