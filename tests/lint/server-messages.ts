import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Finds every message text the server can put in an error answer, straight from the source: the literal messages
 * given to the error classes (by the constructor parameter they land in, so a new class or a new throw is found
 * without a list to keep), their default messages, and the messages written into zod schemas. A template literal
 * comes back with `{}` where its values go, the form the English catalog's templates are compared in.
 */

export interface FoundMessage {
  text: string;
  template: boolean;
  where: string;
}

/** Constructor parameters that carry words the user reads. */
const MESSAGE_PARAMS = new Set(['message', 'what', 'detail']);
/** Errors that are not HTTP errors themselves but whose message a route hands on in its error answer. */
export const PASSED_ON_ERRORS = ['ImportFileError'];
/** zod methods whose string argument at this position is the message. */
const ZOD_MESSAGE_ARG: Record<string, number> = {
  min: 1,
  max: 1,
  length: 1,
  gt: 1,
  gte: 1,
  lt: 1,
  lte: 1,
  multipleOf: 1,
  regex: 1,
  refine: 1,
  startsWith: 1,
  endsWith: 1,
  email: 0,
  uuid: 0,
  url: 0,
  int: 0,
  positive: 0,
  nonnegative: 0,
  negative: 0,
  nonpositive: 0,
  nonempty: 0,
  datetime: 0,
};

interface ClassInfo {
  parent: string | undefined;
  params: string[] | undefined;
  node: ts.ClassDeclaration;
  file: ts.SourceFile;
}

export function serverSourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
    }
  };
  walk(root);
  return out.sort();
}

function importsZod(file: ts.SourceFile): boolean {
  return file.statements.some(
    (s) => ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text.startsWith('zod'),
  );
}

function isSchemaFile(fileName: string): boolean {
  const base = path.basename(fileName);
  return base === 'schemas.ts' || base.endsWith('-schemas.ts');
}

export function scanServerMessages(root: string): { messages: FoundMessage[]; unresolved: string[] } {
  const repoRoot = path.dirname(root);
  const files = serverSourceFiles(root).map((f) => ts.createSourceFile(f, fs.readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true));
  const classes = new Map<string, ClassInfo>();
  for (const file of files) {
    const visit = (node: ts.Node) => {
      if (ts.isClassDeclaration(node) && node.name) {
        const heritage = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
        const ctor = node.members.find(ts.isConstructorDeclaration);
        classes.set(node.name.text, {
          parent: heritage && ts.isIdentifier(heritage) ? heritage.text : undefined,
          params: ctor?.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : '')),
          node,
          file,
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  const descendsFromAppError = (name: string): boolean => {
    for (let at: string | undefined = name, hops = 0; at && hops < 20; at = classes.get(at)?.parent, hops++) {
      if (at === 'AppError') return true;
    }
    return false;
  };
  const errorClasses = new Set([...classes.keys()].filter((n) => descendsFromAppError(n) || PASSED_ON_ERRORS.includes(n)));
  const paramsOf = (name: string | undefined): string[] | undefined => {
    for (let at = name, hops = 0; at && hops < 20; at = classes.get(at)?.parent, hops++) {
      const params = classes.get(at)?.params;
      if (params) return params;
    }
    return undefined;
  };

  const messages: FoundMessage[] = [];
  const unresolved: string[] = [];
  const where = (file: ts.SourceFile, node: ts.Node) =>
    `${path.relative(repoRoot, file.fileName)}:${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}`;

  const constInitializer = (file: ts.SourceFile, name: string): ts.Expression | undefined => {
    let found: ts.Expression | undefined;
    const visit = (node: ts.Node) => {
      if (found) return;
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name && node.initializer) {
        const list = node.parent;
        if (ts.isVariableDeclarationList(list) && list.flags & ts.NodeFlags.Const) found = node.initializer;
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
    return found;
  };

  /** Adds the texts an expression can evaluate to; false when some of it is computed and cannot be read here. */
  const collect = (file: ts.SourceFile, expr: ts.Expression, depth = 0): boolean => {
    if (depth > 5) return false;
    if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr)) return collect(file, expr.expression, depth + 1);
    if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) {
      if (expr.text.trim() !== '') messages.push({ text: expr.text, template: false, where: where(file, expr) });
      return true;
    }
    if (ts.isTemplateExpression(expr)) {
      const text = expr.head.text + expr.templateSpans.map((s) => `{}${s.literal.text}`).join('');
      // Only values and punctuation (`${field}: ${message}`, `${id} (${reason})`): the values carry the words.
      if (/\p{L}/u.test(text.replaceAll('{}', ''))) messages.push({ text, template: true, where: where(file, expr) });
      return true;
    }
    if (ts.isConditionalExpression(expr)) {
      const a = collect(file, expr.whenTrue, depth + 1);
      const b = collect(file, expr.whenFalse, depth + 1);
      return a && b;
    }
    if (ts.isBinaryExpression(expr) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(expr.operatorToken.kind)) {
      collect(file, expr.left, depth + 1);
      return collect(file, expr.right, depth + 1);
    }
    if (ts.isIdentifier(expr)) {
      if (expr.text === 'undefined') return true;
      const init = constInitializer(file, expr.text);
      if (init) return collect(file, init, depth + 1);
      return forwardedParameter(file, expr);
    }
    // `…`.trim(): the text is the template's.
    if (ts.isCallExpression(expr) && ts.isPropertyAccessExpression(expr.expression) && expr.expression.name.text === 'trim') {
      return collect(file, expr.expression.expression, depth + 1);
    }
    // Another error's message handed on (`err.message`): found where that error is made.
    if (ts.isPropertyAccessExpression(expr) && expr.name.text === 'message') return true;
    return false;
  };

  /** A helper's parameter (`notFound(what)`, `store.get(table, id, what = 'Data')`): its callers pass the words. */
  const forwarders = new Map<string, Set<number>>();
  const forwardedParameter = (file: ts.SourceFile, id: ts.Identifier): boolean => {
    for (let node: ts.Node | undefined = id.parent; node; node = node.parent) {
      if (!ts.isFunctionLike(node)) continue;
      const index = node.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === id.text);
      if (index < 0) continue;
      const param = node.parameters[index];
      if (param.initializer) collect(file, param.initializer);
      let name: string | undefined;
      if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name && ts.isIdentifier(node.name))
        name = node.name.text;
      else if (ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) name = node.parent.name.text;
      if (!name) return false;
      const indexes = forwarders.get(name) ?? new Set<number>();
      indexes.add(index);
      forwarders.set(name, indexes);
      return true;
    }
    return false;
  };

  for (const file of files) {
    const zodFile = importsZod(file);
    const schemaFile = isSchemaFile(file.fileName);
    const visit = (node: ts.Node) => {
      // new SomeError(…): each argument that lands in a message parameter.
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && errorClasses.has(node.expression.text)) {
        const params = paramsOf(node.expression.text) ?? [];
        node.arguments?.forEach((arg, i) => {
          if (!MESSAGE_PARAMS.has(params[i] ?? '')) return;
          if (!collect(file, arg)) unresolved.push(`${where(file, arg)} ${arg.getText(file)}`);
        });
      }
      // super(…) inside an error class, and its constructor's default messages.
      if (ts.isClassDeclaration(node) && node.name && errorClasses.has(node.name.text)) {
        const info = classes.get(node.name.text)!;
        const ctor = node.members.find(ts.isConstructorDeclaration);
        for (const p of ctor?.parameters ?? []) {
          if (ts.isIdentifier(p.name) && MESSAGE_PARAMS.has(p.name.text) && p.initializer) collect(file, p.initializer);
        }
        const parentParams = paramsOf(info.parent) ?? [];
        const visitSuper = (inner: ts.Node) => {
          if (ts.isCallExpression(inner) && inner.expression.kind === ts.SyntaxKind.SuperKeyword) {
            inner.arguments.forEach((arg, i) => {
              if (!MESSAGE_PARAMS.has(parentParams[i] ?? '')) return;
              if (ts.isIdentifier(arg) && MESSAGE_PARAMS.has(arg.text)) return;
              if (!collect(file, arg)) unresolved.push(`${where(file, arg)} ${arg.getText(file)}`);
            });
          }
          ts.forEachChild(inner, visitSuper);
        };
        if (ctor) visitSuper(ctor);
      }
      if (zodFile && ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const method = node.expression.name.text;
        const at = ZOD_MESSAGE_ARG[method];
        const arg = at === undefined ? undefined : node.arguments[at];
        if (arg && (ts.isStringLiteralLike(arg) || ts.isTemplateExpression(arg))) collect(file, arg);
        // ctx.addIssue({ message }) in a transform or superRefine, wherever the schema is written.
        if (method === 'addIssue' && node.arguments[0] && ts.isObjectLiteralExpression(node.arguments[0])) {
          for (const prop of node.arguments[0].properties) {
            if (ts.isPropertyAssignment(prop) && ts.isIdentifier(prop.name) && prop.name.text === 'message') {
              if (!collect(file, prop.initializer)) unresolved.push(`${where(file, prop)} ${prop.initializer.getText(file)}`);
            }
          }
        }
      }
      // An error body written out by hand: { code: 'STABLE_CODE', message: '…' }.
      if (ts.isObjectLiteralExpression(node)) {
        const props = node.properties.filter(ts.isPropertyAssignment);
        const named = (name: string) => props.find((p) => ts.isIdentifier(p.name) && p.name.text === name);
        const code = named('code');
        const message = named('message');
        if (code && message && ts.isStringLiteralLike(code.initializer) && /^[A-Z][A-Z0-9_]+$/.test(code.initializer.text)) {
          collect(file, message.initializer);
        }
      }
      // { message: '…' } / { error: '…' } as zod options in a schema file.
      if (schemaFile && ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && ['message', 'error'].includes(node.name.text)) {
        const value = node.initializer;
        if (ts.isStringLiteralLike(value) || ts.isTemplateExpression(value)) collect(file, value);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  // Callers of the helpers found above, until no new helper turns up.
  const done = new Set<string>();
  for (let round = 0; round < 5; round++) {
    const pending = [...forwarders]
      .flatMap(([name, indexes]) => [...indexes].map((i) => [name, i] as const))
      .filter(([n, i]) => !done.has(`${n}#${i}`));
    if (!pending.length) break;
    for (const [n, i] of pending) done.add(`${n}#${i}`);
    for (const file of files) {
      const visit = (node: ts.Node) => {
        if (ts.isCallExpression(node)) {
          const callee = node.expression;
          const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
          for (const [n, i] of pending) {
            const arg = node.arguments[i];
            if (name !== n || !arg) continue;
            if (!collect(file, arg)) unresolved.push(`${where(file, arg)} ${arg.getText(file)}`);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
    }
  }
  return { messages, unresolved };
}
