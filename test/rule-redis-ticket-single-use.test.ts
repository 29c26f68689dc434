/** redis-ticket-single-use: the GetDel suggestion (only where it changes nothing but the race) and the options. */
import { RuleTester } from "eslint";
import { describe, it } from "vitest";
import plugin from "../src/index.js";

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ plugins: { goward: plugin as never }, language: "goward/go" });

const file = (body: string) => `package auth

import (
	"context"
	"errors"

	"github.com/redis/go-redis/v9"
)

type S struct{ rdb *redis.Client }

var errBad = errors.New("bad")

${body}
`;

const plainPair = `func (s *S) Refresh(ctx context.Context, rt string) (string, error) {
	uid, err := s.rdb.Get(ctx, "refresh_token:"+rt).Result()
	if err != nil {
		return "", err
	}
	s.rdb.Del(ctx, "refresh_token:"+rt)
	return uid, nil
}`;

const comparedPair = `func (s *S) Verify(ctx context.Context, email, code string) error {
	stored, err := s.rdb.Get(ctx, "otp:"+email).Result()
	if err != nil || stored != code {
		return errBad
	}
	_ = s.rdb.Del(ctx, "otp:"+email).Err()
	return nil
}`;

const voucher = `func (s *S) Redeem(ctx context.Context, v string) error {
	if s.rdb.Exists(ctx, "voucher:"+v).Val() == 0 {
		return errBad
	}
	s.rdb.Del(ctx, "voucher:"+v)
	return nil
}`;

tester.run("redis-ticket-single-use", plugin.rules["redis-ticket-single-use"] as never, {
  valid: [
    { name: "a voucher is not a known credential word", code: file(voucher) },
    { name: "ignoreWords turns a key off", code: file(plainPair), options: [{ ignoreWords: ["refresh"] }] },
  ],
  invalid: [
    {
      name: "Get then Del after an error check only: GetDel is suggested and the Del removed",
      code: file(plainPair),
      errors: [
        {
          messageId: "replay",
          line: 15,
          suggestions: [
            {
              messageId: "useGetDel",
              output: file(plainPair.replace("s.rdb.Get(ctx", "s.rdb.GetDel(ctx").replace('\t\ts.rdb.Del(ctx, "refresh_token:"+rt)\n', "").replace('\ts.rdb.Del(ctx, "refresh_token:"+rt)\n', "")),
            },
          ],
        },
      ],
    },
    {
      name: "a comparison returns between Get and Del: GetDel would consume wrong guesses, so no suggestion",
      code: file(comparedPair),
      errors: [{ messageId: "replay", line: 15, suggestions: [] }],
    },
    {
      name: "keyWords adds a project's own one-time credential",
      code: file(voucher),
      options: [{ keyWords: ["voucher"] }],
      errors: [{ messageId: "replay", line: 15 }],
    },
  ],
});
