// Preloaded with `node --import` by test/safety.test.ts: any network access or child process
// (other than git, which --new-from-rev needs) aborts the process with exit code 97.
import child_process from "node:child_process";
import dgram from "node:dgram";
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import tls from "node:tls";
import { syncBuiltinESMExports } from "node:module";

const deny = (what) => () => {
  process.stderr.write(`DENIED: ${what}\n`);
  process.exit(97);
};
for (const name of ["spawn", "spawnSync", "exec", "execSync", "execFile", "execFileSync", "fork"]) {
  const orig = child_process[name];
  child_process[name] = function (cmd, ...rest) {
    if (cmd === "git") return orig.call(this, cmd, ...rest);
    return deny(`child_process.${name}(${cmd})`)();
  };
}
net.connect = net.createConnection = deny("net.connect");
net.Socket.prototype.connect = deny("net.Socket.connect");
tls.connect = deny("tls.connect");
http.request = http.get = deny("http.request");
https.request = https.get = deny("https.request");
dgram.createSocket = deny("dgram.createSocket");
dns.lookup = deny("dns.lookup");
dns.resolve = deny("dns.resolve");
globalThis.fetch = deny("fetch");
syncBuiltinESMExports();
