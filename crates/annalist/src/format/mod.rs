//! Readers and writers: TimeML, TIMEX2, JSON lines, text.
