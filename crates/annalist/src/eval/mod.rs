//! TempEval-3 scoring of time expressions.
//!
//! [`score_doc`] pairs system expressions with gold ones in one document (strict:
//! identical spans; relaxed: overlapping spans; each expression paired at most once)
//! and returns [`Counts`] and the [`EvalError`]s; add the counts of a corpus up and
//! turn them into micro-averaged [`Scores`] with [`Scores::from_counts`]:
//!
//! ```
//! use annalist::eval::{score_doc, Counts, Expr, Scores};
//!
//! let text = "It rained on May 3 and for two weeks after.";
//! let gold = [Expr::new(13, 18, Some("DATE"), "XXXX-05-03"), Expr::new(23, 36, Some("DURATION"), "P2W")];
//! let system = [Expr::new(13, 18, Some("DATE"), "XXXX-05-03"), Expr::new(27, 36, Some("DURATION"), "P2W")];
//! let mut total = Counts::default();
//! total += score_doc("doc1", text, &gold, &system).counts;
//! let s = Scores::from_counts(total);
//! assert_eq!(s.relaxed.f1, 1.0);
//! assert_eq!(s.strict.f1, 0.5);
//! ```

mod timex;

pub use timex::{Counts, DocEval, ErrorKind, EvalError, Expr, ExprView, Prf, Scores, exprs_from_records, score_doc};
