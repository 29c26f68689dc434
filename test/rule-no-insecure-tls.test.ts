/** The dsn option and the suggestions of no-insecure-tls, through ESLint's RuleTester. */
import { RuleTester } from "eslint";
import { describe, it } from "vitest";
import plugin from "../src/index.js";

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ plugins: { goward: plugin as never }, language: "goward/go" });

const dbFile = (body: string) => `package store

import (
	"crypto/tls"
	"database/sql"
)

${body}
`;

const configuredHost = dbFile('func Open(host string) (*sql.DB, error) {\n\treturn sql.Open("postgres", "host="+host+" dbname=app sslmode=disable")\n}');
const composeHost = dbFile('func Open() (*sql.DB, error) {\n\treturn sql.Open("postgres", "postgres://app@db:5432/app?sslmode=disable")\n}');
const remoteHost = dbFile('func Open() (*sql.DB, error) {\n\treturn sql.Open("postgres", "postgres://app@pg.example.com:5432/app?sslmode=disable")\n}');

tester.run("no-insecure-tls", plugin.rules["no-insecure-tls"] as never, {
  valid: [
    { name: "dsn remote: a service name is not reported", code: composeHost },
    { name: "dsn remote: a configured host is not reported", code: configuredHost },
    { name: "dsn off: even a remote host", code: remoteHost, options: [{ dsn: "off" }] },
  ],
  invalid: [
    { name: "dsn remote: a constant remote host", code: remoteHost, errors: [{ messageId: "postgresPlaintext" }] },
    { name: "dsn all: a service name", code: composeHost, options: [{ dsn: "all" }], errors: [{ messageId: "postgresPlaintext" }] },
    { name: "dsn all: a fragment next to a configured host", code: configuredHost, options: [{ dsn: "all" }], errors: [{ messageId: "postgresPlaintext" }] },
    {
      name: "old MinVersion: suggestion uses TLS 1.2",
      code: dbFile("var cfg = &tls.Config{MinVersion: tls.VersionTLS11}"),
      errors: [{ messageId: "oldVersion", suggestions: [{ messageId: "useTls12", output: dbFile("var cfg = &tls.Config{MinVersion: tls.VersionTLS12}") }] }],
    },
    {
      name: "InsecureSkipVerify: suggestion removes the field",
      code: dbFile("var cfg = &tls.Config{\n\tServerName:         \"db.example.com\",\n\tInsecureSkipVerify: true,\n}"),
      errors: [{ messageId: "skipVerify", suggestions: [{ messageId: "removeSkipVerify", output: dbFile("var cfg = &tls.Config{\n\tServerName:         \"db.example.com\",\n}") }] }],
    },
  ],
});
