// Starts `rotor lsp` for .rotor files. Highlighting works without it (the TextMate
// grammar in syntaxes/); everything else comes from the server.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const settings = vscode.workspace.getConfiguration('rotor');
  const command = settings.get('path') || 'rotor';
  // A strategy reads only its own folder unless the server allows more (docs/SECURITY.md).
  const allow = (settings.get('allowPaths') || []).flatMap((dir) => ['--allow-path', dir]);
  const server = { command, args: ['lsp', ...allow] };
  client = new LanguageClient(
    'rotor',
    'rotor',
    { run: server, debug: server },
    {
      documentSelector: [
        { scheme: 'file', language: 'rotor' },
        { scheme: 'untitled', language: 'rotor' },
      ],
    },
  );
  context.subscriptions.push(client);
  return client.start().catch((error) => {
    vscode.window.showErrorMessage(
      `rotor: cannot start \`${command} lsp\` (${error.message}). Install rotor or set "rotor.path".`,
    );
  });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
