/** redis-ticket-ttl: the keyWords and ignoreWords options. */
import { RuleTester } from "eslint";
import { describe, it } from "vitest";
import plugin from "../src/index.js";

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ plugins: { goward: plugin as never }, language: "goward/go" });

const file = (key: string) => `package auth

import (
	"context"

	"github.com/redis/go-redis/v9"
)

func save(ctx context.Context, rdb *redis.Client, id string, v any) error {
	return rdb.Set(ctx, "${key}"+id, v, 0).Err()
}
`;

tester.run("redis-ticket-ttl", plugin.rules["redis-ticket-ttl"] as never, {
  valid: [
    { name: "a voucher is not a known credential word", code: file("voucher:") },
    { name: "ignoreWords turns a credential key off", code: file("preview_token:"), options: [{ ignoreWords: ["preview"] }] },
  ],
  invalid: [
    { name: "a reset key with expiration 0", code: file("reset:"), errors: [{ messageId: "noExpiry", line: 10 }] },
    { name: "keyWords adds a word", code: file("voucher:"), options: [{ keyWords: ["voucher"] }], errors: [{ messageId: "noExpiry", line: 10 }] },
  ],
});
