// Starts `rotor lsp` for .rotor files. Highlighting works without it (the TextMate
// grammar in syntaxes/); everything else comes from the server.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('rotor').get('path') || 'rotor';
  const server = { command, args: ['lsp'] };
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
