// A minimal client: starts `goward lsp --stdio` for Go files and lets VS Code show its
// diagnostics and code actions (quick fixes, ignore-with-reason, source.fixAll.goward).
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const [command, ...args] = vscode.workspace.getConfiguration("goward").get("command");
  client = new LanguageClient(
    "goward",
    "goward",
    { command, args, options: { shell: process.platform === "win32" } },
    {
      documentSelector: [{ scheme: "file", language: "go" }],
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/{.goward.yml,.goward.yaml,.goward.json,*.go}") },
    },
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
