//! The editor files in editors/ agree with rotor: the VS Code grammar highlights exactly
//! rotor's keywords, built-in functions and FedWatch series, and the extension and editor
//! setups name files that exist and the `rotor lsp` command.

mod common;

use std::collections::BTreeSet;

use serde_json::Value;

fn read(path: &str) -> String {
    std::fs::read_to_string(common::root().join(path)).unwrap_or_else(|_| panic!("{path} exists"))
}

/// The words of a `\b(a|b|c)…` pattern.
fn alternatives(pattern: &str) -> BTreeSet<String> {
    let start = pattern.find('(').expect("a group") + 1;
    let end = start + pattern[start..].find(')').expect("a closed group");
    pattern[start..end].split('|').map(str::to_string).collect()
}

#[test]
fn the_textmate_grammar_has_rotors_keywords_and_functions() {
    let grammar: Value = serde_json::from_str(&read("editors/vscode/syntaxes/rotor.tmLanguage.json")).expect("JSON");
    assert_eq!(grammar["scopeName"], "source.rotor");
    let keywords = alternatives(grammar["repository"]["keyword"]["match"].as_str().expect("a pattern"));
    let expected: BTreeSet<String> = rotor::language::words::keywords().map(str::to_string).collect();
    assert_eq!(
        keywords, expected,
        "editors/vscode/syntaxes/rotor.tmLanguage.json's keywords"
    );
    let functions = alternatives(grammar["repository"]["function"]["match"].as_str().expect("a pattern"));
    let expected: BTreeSet<String> = rotor::check::FUNCTIONS.iter().map(|f| f.name.to_string()).collect();
    assert_eq!(
        functions, expected,
        "editors/vscode/syntaxes/rotor.tmLanguage.json's functions"
    );
    let series = alternatives(grammar["repository"]["series"]["match"].as_str().expect("a pattern"));
    let expected: BTreeSet<String> = rotor::language::words::builtin_series().map(str::to_string).collect();
    assert_eq!(
        series, expected,
        "editors/vscode/syntaxes/rotor.tmLanguage.json's FedWatch series"
    );
}

#[test]
fn the_vscode_extension_names_its_files_and_the_server() {
    let package: Value = serde_json::from_str(&read("editors/vscode/package.json")).expect("JSON");
    let contributes = &package["contributes"];
    assert_eq!(contributes["languages"][0]["extensions"][0], ".rotor");
    for file in [
        package["main"].as_str(),
        contributes["languages"][0]["configuration"].as_str(),
        contributes["grammars"][0]["path"].as_str(),
    ] {
        let file = file.expect("a path");
        assert!(common::root().join("editors/vscode").join(file).is_file(), "{file}");
    }
    let _: Value = serde_json::from_str(&read("editors/vscode/language-configuration.json")).expect("JSON");
    let extension = read("editors/vscode/extension.js");
    assert!(extension.contains("args: ['lsp', ...allow]"));
    // `rotor.allowPaths` becomes `--allow-path DIR` for each folder.
    assert!(extension.contains("settings.get('allowPaths')") && extension.contains("['--allow-path', dir]"));
    let allow = &contributes["configuration"]["properties"]["rotor.allowPaths"];
    assert_eq!(allow["type"], "array");
    // The semantic token modifiers the server sends besides the standard ones.
    let modifiers: Vec<&str> = contributes["semanticTokenModifiers"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|m| m["id"].as_str())
        .collect();
    assert_eq!(modifiers, ["percentage", "money", "date"]);
}

#[test]
fn the_helix_and_neovim_setups_start_rotor_lsp() {
    let helix = read("editors/helix/languages.toml");
    assert!(helix.contains("command = \"rotor\"") && helix.contains("args = [\"lsp\"]"));
    assert!(helix.contains("file-types = [\"rotor\"]"));
    let neovim = read("editors/neovim/rotor.lua");
    assert!(neovim.contains("'lsp' }"));
    assert!(neovim.contains("vim.g.rotor_allow_paths") && neovim.contains("'--allow-path'"));
}
