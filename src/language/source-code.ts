/**
 * GoSourceCode: what rules see of a file. Modelled on @eslint/json's JSONSourceCode: plain
 * nodes, comments kept aside, suppression directives, inline config and a traversal.
 */
import { ConfigCommentParser, TextSourceCodeBase, VisitNodeStep } from "@eslint/plugin-kit";
import type { FileProblem, RulesConfig, SourceLocation as CoreLocation } from "@eslint/core";
import type { GoNode, SourceFileNode } from "./node-types.generated.js";
import type { Comment, SyntaxProblem } from "./parser.js";
import { scanDirectives, type DirectiveScan } from "./directives.js";

export interface GoSourceCodeInit {
  text: string;
  ast: SourceFileNode;
  comments: Comment[];
  syntaxProblems: SyntaxProblem[];
  knownRules: ReadonlySet<string>;
  /** Visit only the node types that rules registered with `listen` (all rules are goward's). */
  visitListenedOnly?: boolean;
}

/** The selectors the traversal can prune for: a node type, or a node type and `:exit`. */
const PLAIN_SELECTOR = /^[A-Za-z_]+(?::exit)?$/u;

/** What the rules created for one file listen to. */
interface Listened {
  enter: Set<string>;
  exit: Set<string>;
  /** Some selector is more than a node type (`a > b`, `*`, `:not(...)`): visit everything. */
  complex: boolean;
}

const commentParser = new ConfigCommentParser();

export class GoSourceCode extends TextSourceCodeBase<{
  LangOptions: Record<string, never>;
  RootNode: SourceFileNode;
  SyntaxElementWithLoc: GoNode | Comment;
  ConfigNode: Comment;
}> {
  override readonly ast: SourceFileNode;
  readonly comments: Comment[];
  readonly syntaxProblems: SyntaxProblem[];
  readonly #knownRules: ReadonlySet<string>;
  #directives: DirectiveScan | undefined;
  readonly #listened: Listened | undefined;

  constructor({ text, ast, comments, syntaxProblems, knownRules, visitListenedOnly }: GoSourceCodeInit) {
    // Go ends lines with \n; a \r before it belongs to the line ending (CRLF files).
    super({ text, ast, lineEndingPattern: /\r?\n/u });
    this.ast = ast;
    this.comments = comments;
    this.syntaxProblems = syntaxProblems;
    this.#knownRules = knownRules;
    if (visitListenedOnly) this.#listened = { enter: new Set(), exit: new Set(), complex: false };
  }

  /**
   * Called by goward's rules (createRule) with the listeners they return for this file. ESLint
   * creates every rule before it starts the traversal, so when the traversal begins the sets
   * are complete, and nodes no rule listens to need no step (most are identifiers and lists).
   */
  listen(selectors: Iterable<string>): void {
    const l = this.#listened;
    if (!l || l.complex) return;
    for (const s of selectors) {
      if (!PLAIN_SELECTOR.test(s)) l.complex = true;
      else if (s.endsWith(":exit")) l.exit.add(s.slice(0, -5));
      else l.enter.add(s);
    }
  }

  override getLoc(node: GoNode | Comment): CoreLocation {
    return node.loc;
  }

  override getRange(node: GoNode | Comment): [number, number] {
    return node.range;
  }

  override getParent(node: GoNode): GoNode | undefined {
    return node.parent ?? undefined;
  }

  /** The source text of a node, or of the whole file. */
  override getText(node?: GoNode | Comment, before?: number, after?: number): string {
    if (node && "text" in node && node.text !== undefined && !before && !after) return node.text;
    return super.getText(node as GoNode, before, after);
  }

  #scan(): DirectiveScan {
    if (!this.#directives) {
      this.#directives = scanDirectives(this.comments, this.#knownRules, (c) => {
        const lineStart = this.text.lastIndexOf("\n", c.range[0] - 1) + 1;
        return this.text.slice(lineStart, c.range[0]).trim().length > 0;
      });
    }
    return this.#directives;
  }

  /** ESLint calls this for disable directives; non-fatal file problems travel the same way. */
  getDisableDirectives(): { problems: FileProblem[]; directives: DirectiveScan["directives"] } {
    const scan = this.#scan();
    const problems: FileProblem[] = scan.problems.map((p) => ({ ruleId: null, message: p.message, loc: p.loc }));
    const syntax = this.syntaxDiagnostic();
    if (syntax) problems.unshift(syntax);
    return { problems, directives: scan.directives };
  }

  /**
   * One diagnostic per file for syntax errors: where the first one is, and how many there are.
   * The file was still linted: tree-sitter recovers and rules skip the broken subtrees.
   */
  syntaxDiagnostic(): FileProblem | undefined {
    if (this.syntaxProblems.length === 0) return undefined;
    const first = this.syntaxProblems[0];
    const more = this.syntaxProblems.length - 1;
    let what: string;
    if (first.kind === "missing") {
      what = `missing ${first.token === "" || first.token === undefined ? "token" : `'${first.token}'`}`;
    } else {
      const snippet = this.text.slice(first.range[0], first.range[1]).split(/\r?\n/u)[0].trim().slice(0, 30);
      what = snippet ? `unexpected '${snippet}'` : "unexpected input";
    }
    return {
      ruleId: null,
      message:
        `Go syntax error at ${first.loc.start.line}:${first.loc.start.column + 1}: ${what}` +
        `${more > 0 ? ` (and ${more} more)` : ""}. The rest of the file was still checked; findings near the error may be missing.`,
      loc: { start: first.loc.start, end: first.loc.start.line === first.loc.end.line ? first.loc.end : first.loc.start },
    };
  }

  getInlineConfigNodes(): Comment[] {
    return this.#scan().inlineConfigComments;
  }

  applyInlineConfig(): { configs: { config: { rules: RulesConfig }; loc: CoreLocation }[]; problems: FileProblem[] } {
    const configs: { config: { rules: RulesConfig }; loc: CoreLocation }[] = [];
    const problems: FileProblem[] = [];
    for (const comment of this.getInlineConfigNodes()) {
      const parsed = commentParser.parseDirective(comment.value);
      if (!parsed || parsed.label !== "eslint") continue;
      const result = commentParser.parseJSONLikeConfig(parsed.value);
      if (result.ok) configs.push({ config: { rules: result.config }, loc: comment.loc });
      else problems.push({ ruleId: null, message: result.error.message, loc: comment.loc });
    }
    return { configs, problems };
  }

  /**
   * Depth-first enter/exit steps over named nodes; iterative, so deep nesting cannot overflow.
   * The steps are made as ESLint asks for them: a file has tens of thousands, and an array of
   * them all would live through the whole rule run (and so be promoted and swept by the GC).
   */
  override traverse(): Iterable<VisitNodeStep> {
    const ast = this.ast;
    const listened = this.#listened;
    return { [Symbol.iterator]: () => new Steps(ast, listened && !listened.complex ? listened : undefined) };
  }
}

/**
 * The iterator behind `GoSourceCode.traverse`: enter a node, its children, exit it; with
 * `listened`, only the steps of the listened node types, in the same order. ESLint keeps the
 * ancestry of the visited nodes for selectors with combinators; with plain type selectors only
 * (checked in `listen`) it does not read it.
 */
class Steps implements Iterator<VisitNodeStep> {
  readonly #nodes: GoNode[];
  readonly #next: number[] = [];
  readonly #enter: ReadonlySet<string> | undefined;
  readonly #exit: ReadonlySet<string> | undefined;
  #started = false;
  constructor(root: GoNode, listened?: Listened) {
    this.#nodes = [root];
    this.#enter = listened?.enter;
    this.#exit = listened?.exit;
  }
  next(): IteratorResult<VisitNodeStep> {
    const nodes = this.#nodes;
    const next = this.#next;
    const enter = this.#enter;
    const exit = this.#exit;
    if (!this.#started) {
      this.#started = true;
      next.push(0);
      if (!enter || enter.has(nodes[0].type)) return { done: false, value: new VisitNodeStep({ target: nodes[0], phase: 1, args: [nodes[0], null] }) };
    }
    for (;;) {
      const depth = nodes.length - 1;
      if (depth < 0) return { done: true, value: undefined };
      const top = nodes[depth];
      const i = next[depth];
      if (i < top.children.length) {
        const child = top.children[i];
        next[depth] = i + 1;
        nodes.push(child);
        next.push(0);
        if (!enter || enter.has(child.type)) return { done: false, value: new VisitNodeStep({ target: child, phase: 1, args: [child, top] }) };
        continue;
      }
      nodes.pop();
      next.pop();
      if (!exit || exit.has(top.type)) return { done: false, value: new VisitNodeStep({ target: top, phase: 2, args: [top, top.parent] }) };
    }
  }
}
