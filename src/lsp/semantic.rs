//! Semantic tokens: the REPL's word classes ([`crate::language::tokens`]), with names told
//! apart by what the document's data and `let` lines say they are, so any LSP editor
//! highlights a strategy as the REPL does.

use std::collections::HashMap;

use lsp_types::{SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens, SemanticTokensLegend};

use super::analysis::Analysis;
use super::position::Encoding;
use crate::language::{Class, tokens};
use crate::syntax::ast::StatementKind;

/// A document with more tokens than this gets the first ones only (a 10 MB line of
/// names would otherwise make a reply of hundreds of megabytes).
const MAX_TOKENS: usize = 100_000;

const TYPES: &[SemanticTokenType] = &[
    SemanticTokenType::KEYWORD,
    SemanticTokenType::FUNCTION,
    SemanticTokenType::PARAMETER,
    SemanticTokenType::VARIABLE,
    SemanticTokenType::TYPE,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::NUMBER,
    SemanticTokenType::STRING,
    SemanticTokenType::COMMENT,
];

/// Indices into [`TYPES`].
mod ty {
    pub const KEYWORD: u32 = 0;
    pub const FUNCTION: u32 = 1;
    pub const PARAMETER: u32 = 2;
    pub const VARIABLE: u32 = 3;
    /// Symbols: tickers are the "types" of what a strategy holds.
    pub const TYPE: u32 = 4;
    pub const PROPERTY: u32 = 5;
    pub const NUMBER: u32 = 6;
    pub const STRING: u32 = 7;
    pub const COMMENT: u32 = 8;
}

/// Bits of the modifiers, in the order of [`legend`]'s list.
mod modifier {
    pub const DEFAULT_LIBRARY: u32 = 1;
    pub const READONLY: u32 = 1 << 1;
    pub const PERCENTAGE: u32 = 1 << 2;
    pub const MONEY: u32 = 1 << 3;
    pub const DATE: u32 = 1 << 4;
}

/// The token types and modifiers the server sends (the editor's side of the numbers).
pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.to_vec(),
        token_modifiers: vec![
            SemanticTokenModifier::DEFAULT_LIBRARY,
            SemanticTokenModifier::READONLY,
            SemanticTokenModifier::new("percentage"),
            SemanticTokenModifier::new("money"),
            SemanticTokenModifier::new("date"),
        ],
    }
}

/// Every token of the document, in the protocol's relative encoding.
pub fn semantic_tokens(analysis: &Analysis, encoding: Encoding) -> SemanticTokens {
    let names = name_types(analysis);
    let scripts: Vec<&str> = analysis
        .scripts
        .iter()
        .flat_map(|s| s.functions())
        .map(|f| f.name.as_str())
        .collect();
    let mut data = Vec::new();
    let (mut last_line, mut last_start) = (0u32, 0u32);
    for (line_number, line) in analysis.text().split('\n').enumerate() {
        let line_number = u32::try_from(line_number).unwrap_or(u32::MAX);
        // Position in the line in the negotiated unit, kept as tokens go right.
        let (mut at_byte, mut at_unit) = (0usize, 0u32);
        for token in tokens(line) {
            if data.len() >= MAX_TOKENS {
                return SemanticTokens { result_id: None, data };
            }
            let word = &line[token.start..token.end];
            let Some((token_type, modifiers)) = classify(token.class, word, &names, &scripts) else {
                continue;
            };
            at_unit += units(&line[at_byte..token.start], encoding);
            at_byte = token.start;
            let length = units(word, encoding);
            let delta_line = line_number - last_line;
            let delta_start = if delta_line == 0 { at_unit - last_start } else { at_unit };
            data.push(SemanticToken {
                delta_line,
                delta_start,
                length,
                token_type,
                token_modifiers_bitset: modifiers,
            });
            (last_line, last_start) = (line_number, at_unit);
        }
    }
    SemanticTokens { result_id: None, data }
}

fn units(text: &str, encoding: Encoding) -> u32 {
    let n = match encoding {
        Encoding::Utf8 => text.len(),
        Encoding::Utf16 => text.encode_utf16().count(),
    };
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// What each name of the document is: a parameter, a symbol, a series (FedWatch's among
/// them) or a portfolio value.
fn name_types(analysis: &Analysis) -> HashMap<&str, (u32, u32)> {
    let mut out: HashMap<&str, (u32, u32)> = HashMap::new();
    if let Some(c) = &analysis.catalog {
        out.extend(c.symbols.iter().map(|s| (s.as_str(), (ty::TYPE, 0))));
        out.extend(
            c.series
                .iter()
                .map(|s| (s.as_str(), (ty::VARIABLE, modifier::READONLY))),
        );
    }
    out.extend(
        crate::check::PORTFOLIO_NAMES
            .iter()
            .map(|(n, _)| (*n, (ty::PROPERTY, modifier::DEFAULT_LIBRARY))),
    );
    // FedWatch's series are rotor's own, loaded or not (with a meeting in brackets too).
    out.extend(
        crate::language::words::builtin_series()
            .map(|n| (n, (ty::VARIABLE, modifier::READONLY | modifier::DEFAULT_LIBRARY))),
    );
    for s in analysis.ast.statements() {
        if let StatementKind::Let { name, .. } = &s.kind {
            out.insert(name.text.as_str(), (ty::PARAMETER, 0));
        }
    }
    out
}

fn classify(class: Class, word: &str, names: &HashMap<&str, (u32, u32)>, scripts: &[&str]) -> Option<(u32, u32)> {
    Some(match class {
        Class::Keyword => (ty::KEYWORD, 0),
        Class::Function => (ty::FUNCTION, modifier::DEFAULT_LIBRARY),
        Class::Call if scripts.contains(&word) => (ty::FUNCTION, 0),
        Class::Name => *names.get(word.trim_matches('`'))?,
        Class::Number => (ty::NUMBER, 0),
        Class::Percent => (ty::NUMBER, modifier::PERCENTAGE),
        Class::Money => (ty::NUMBER, modifier::MONEY),
        Class::Date => (ty::NUMBER, modifier::DATE),
        Class::String => (ty::STRING, 0),
        Class::Comment => (ty::COMMENT, 0),
        Class::Call | Class::Command => return None,
    })
}
