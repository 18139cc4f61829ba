//! Signature help inside a call: the function's parameters, the one being typed marked;
//! inside a FedWatch series' brackets, its two forms (`meeting N`, `by DATE`).

use lsp_types::{Documentation, ParameterInformation, ParameterLabel, SignatureHelp, SignatureInformation};

use super::analysis::{Analysis, script_signature};
use crate::language::{self, Signature};

pub fn signature_help(analysis: &Analysis, offset: usize) -> Option<SignatureHelp> {
    let text = analysis.text();
    let start = language::logical_line_start(text, offset);
    let offset = language::continuation::floor_char_boundary(text, offset);
    let before = &text[start..offset];
    let call = language::open_call(before)?;
    let (name, forms, doc) = match Signature::of(call.name) {
        Some(s) => (s.name.to_string(), s.forms, s.doc.to_string()),
        None => {
            let (f, file) = analysis.script_function(call.name)?;
            let (params, doc) = script_signature(f, file);
            (f.name.clone(), vec![params], doc.join("\n"))
        }
    };
    let signatures: Vec<SignatureInformation> = forms
        .iter()
        .map(|params| information(&name, params, &doc, call.argument))
        .collect();
    // In `fed_cut_prob(by 2025-…`, the second form.
    let inside = before[call.start..]
        .split_once('(')
        .map_or("", |(_, rest)| rest.trim_start());
    let active = usize::from(signatures.len() > 1 && inside.starts_with("by"));
    let active_parameter = signatures[active].active_parameter;
    Some(SignatureHelp {
        signatures,
        active_signature: Some(active as u32),
        active_parameter,
    })
}

/// One form: its label with each parameter's offsets in it (UTF-16, as the protocol
/// counts), the parameter at `argument` active.
fn information(name: &str, params: &[String], doc: &str, argument: usize) -> SignatureInformation {
    let mut label = format!("{name}(");
    let mut parameters = Vec::new();
    for (i, p) in params.iter().enumerate() {
        if i > 0 {
            label.push_str(", ");
        }
        let from = label.encode_utf16().count() as u32;
        label.push_str(p);
        let to = label.encode_utf16().count() as u32;
        parameters.push(ParameterInformation {
            label: ParameterLabel::LabelOffsets([from, to]),
            documentation: None,
        });
    }
    label.push(')');
    let active = (argument as u32).min(parameters.len().saturating_sub(1) as u32);
    SignatureInformation {
        label,
        documentation: Some(Documentation::String(doc.to_string())),
        parameters: Some(parameters),
        active_parameter: Some(active),
    }
}
