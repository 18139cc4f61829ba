//! Sources and spans.
