//! Signature help inside a call: the function's parameters, the one being typed marked.

use lsp_types::{Documentation, ParameterInformation, ParameterLabel, SignatureHelp, SignatureInformation};

use super::analysis::{Analysis, script_signature};
use crate::check::functions;
use crate::language;

pub fn signature_help(analysis: &Analysis, offset: usize) -> Option<SignatureHelp> {
    let text = analysis.text();
    let start = language::logical_line_start(text, offset);
    let offset = language::continuation::floor_char_boundary(text, offset);
    let call = language::open_call(&text[start..offset])?;
    let (name, params, doc) = match functions::lookup(call.name) {
        Some(f) => (
            f.name.to_string(),
            f.params.iter().map(|p| p.written()).collect(),
            f.doc.to_string(),
        ),
        None => {
            let (f, file) = analysis.script_function(call.name)?;
            let (params, doc) = script_signature(f, file);
            (f.name.clone(), params, doc.join("\n"))
        }
    };
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
    let active = (call.argument as u32).min(parameters.len().saturating_sub(1) as u32);
    Some(SignatureHelp {
        signatures: vec![SignatureInformation {
            label,
            documentation: Some(Documentation::String(doc)),
            parameters: Some(parameters),
            active_parameter: Some(active),
        }],
        active_signature: Some(0),
        active_parameter: Some(active),
    })
}
