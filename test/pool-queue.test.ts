import { describe, expect, it } from "vitest";
import { PackageQueue } from "../src/cli/pool.js";

const pkgs = (sizes: number[]) => sizes.map((n, i) => Array.from({ length: n }, (_, j) => `p${i}/f${j}.go`));
const name = (p: string[] | undefined) => p?.[0].split("/")[0];

describe("PackageQueue", () => {
  it("hands every package out exactly once, each worker walking its own stretch in path order first", () => {
    const q = new PackageQueue(pkgs([3, 1, 2, 2, 4, 1, 3]), 2); // 16 files: 8 + 8
    expect(name(q.next(0))).toBe("p0");
    expect(name(q.next(1))).toBe("p4");
    expect(name(q.next(0))).toBe("p1");
    expect(name(q.next(1))).toBe("p5");
    const seen = ["p0", "p4", "p1", "p5"];
    for (let p = q.next(0); p; p = q.next(0)) seen.push(name(p)!);
    expect(seen.sort()).toEqual(["p0", "p1", "p2", "p3", "p4", "p5", "p6"]);
    expect(q.next(1)).toBeUndefined();
    expect(q.size).toBe(0);
  });

  it("a worker whose stretch is done takes from the end of the stretch with the most files left", () => {
    // 17 files in 3 stretches: p0-p5 (6 files), p6-p8 (7 files: p8 has 5), p9-p11 (3 files).
    const q = new PackageQueue(pkgs([1, 1, 1, 1, 1, 1, 1, 1, 5, 1, 1, 1]), 3);
    const w0 = Array.from({ length: 8 }, () => name(q.next(0)));
    // Its own stretch, then the back of worker 1's (7 files left), then of worker 2's (3 left, vs 2).
    expect(w0).toEqual(["p0", "p1", "p2", "p3", "p4", "p5", "p8", "p11"]);
    // The owners still walk their stretches from the front.
    expect(name(q.next(1))).toBe("p6");
    expect(name(q.next(2))).toBe("p9");
    expect([q.next(2), q.next(2), q.next(2)].map(name)).toEqual(["p10", "p7", undefined]);
  });

  it("one worker gets all packages in path order; more workers than packages leave some idle", () => {
    const one = new PackageQueue(pkgs([2, 1, 3]), 1);
    expect([one.next(0), one.next(0), one.next(0), one.next(0)].map(name)).toEqual(["p0", "p1", "p2", undefined]);
    const many = new PackageQueue(pkgs([1, 1]), 4);
    const got = [0, 1, 2, 3].map((w) => name(many.next(w)));
    expect(got.filter(Boolean).sort()).toEqual(["p0", "p1"]);
  });
});
