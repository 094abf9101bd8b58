// The API reference gate: typedoc converts the five public entry points with typedoc.json and must
// log nothing (broken {@link}s, undocumented core/transport exports); every public type an export
// refers to must be exported too; every public member of Device carries a doc comment; every ts
// snippet in packages/core/README.md typechecks.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Application, type DeclarationReflection, Logger, LogLevel, type ProjectReflection } from 'typedoc';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Keeps what typedoc would print at warning level or above. */
class CollectingLogger extends Logger {
  readonly messages: string[] = [];
  override log(message: string, level: LogLevel): void {
    super.log(message, level);
    if (level >= LogLevel.Warn) this.messages.push(message);
  }
}

const PACKAGES = [
  '@scsikit/cdb',
  '@scsikit/transport',
  '@scsikit/transport-uring',
  '@scsikit/emulated-disk',
  '@scsikit/core',
] as const;

/**
 * Unexported helper types public ones are built from (mode-page code constants behind
 * `typeof CACHING`, fault-matching internals). Known debt: this list may only shrink.
 */
const KNOWN_NOT_EXPORTED = new Set([
  '@scsikit/cdb: BACKGROUND_CONTROL',
  '@scsikit/cdb: CACHING',
  '@scsikit/cdb: CONTROL',
  '@scsikit/cdb: CONTROL_EXTENSION',
  '@scsikit/cdb: DISCONNECT_RECONNECT',
  '@scsikit/cdb: FORMAT',
  '@scsikit/cdb: FieldValue',
  '@scsikit/cdb: INFORMATIONAL_EXCEPTIONS_CONTROL',
  '@scsikit/cdb: POWER_CONDITION',
  '@scsikit/cdb: PROTOCOL_SPECIFIC_LU',
  '@scsikit/cdb: PROTOCOL_SPECIFIC_PORT',
  '@scsikit/cdb: PageName',
  '@scsikit/cdb: READ_WRITE_ERROR_RECOVERY',
  '@scsikit/cdb: RIGID_DISK_GEOMETRY',
  '@scsikit/cdb: SAS_LU',
  '@scsikit/cdb: SAS_PORT',
  '@scsikit/cdb: Tagged',
  '@scsikit/cdb: TransportIdBase',
  '@scsikit/cdb: VERIFY_ERROR_RECOVERY',
  '@scsikit/emulated-disk: FaultProbe',
  '@scsikit/emulated-disk: FiredFault',
]);

let app: Application;
let project: ProjectReflection;
let logger: CollectingLogger;

beforeAll(async () => {
  app = await Application.bootstrapWithPlugins({ options: `${root}typedoc.json` });
  logger = new CollectingLogger();
  app.logger = logger;
  const converted = await app.convert();
  if (converted === undefined) throw new Error(`typedoc could not convert:\n${logger.messages.join('\n')}`);
  project = converted;
  app.validate(project);
}, 120_000);

describe('API reference (typedoc.json)', () => {
  it('converts and validates without a warning', () => {
    expect(logger.messages).toEqual([]);
  });

  it('exports every public type that an exported API refers to', () => {
    // typedoc only checks references into the package it documents; run as each package in turn.
    const before = logger.messages.length;
    const validation = app.options.getValue('validation');
    const ownName = project.packageName;
    const found: string[] = [];
    try {
      app.options.setValue('validation', {
        notExported: true,
        invalidLink: false,
        invalidPath: false,
        rewrittenLink: false,
        notDocumented: false,
        unusedMergeModuleWith: false,
      });
      for (const name of PACKAGES) {
        project.packageName = name;
        const from = logger.messages.length;
        app.validate(project);
        for (const m of logger.messages.slice(from)) found.push(`${name}: ${m.split(',')[0]}`);
      }
    } finally {
      if (ownName === undefined) delete project.packageName;
      else project.packageName = ownName;
      app.options.setValue('validation', validation);
      logger.messages.length = before;
    }
    expect(found.filter((f) => !KNOWN_NOT_EXPORTED.has(f))).toEqual([]);
  });

  it('documents every public member of Device', () => {
    const device = project.getChildByName(['@scsikit/core', 'Device']) as DeclarationReflection | undefined;
    expect(device, 'Device in the @scsikit/core docs').toBeDefined();
    const members = (device?.children ?? []).filter((c) => !c.flags.isInherited);
    const undocumented = members
      .filter((c) => {
        const comments = [c.comment, c.getSignature?.comment, ...(c.signatures ?? []).map((s) => s.comment)];
        return !comments.some((k) => k?.summary.some((p) => p.text.trim() !== '') === true);
      })
      .map((c) => c.name);
    expect(members.length).toBeGreaterThan(30);
    expect(undocumented).toEqual([]);
  });
});

describe('packages/core/README.md', () => {
  it('has ts snippets that typecheck, each as a module of its own', () => {
    const readme = readFileSync(`${root}packages/core/README.md`, 'utf8');
    const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    expect(snippets.length).toBeGreaterThan(5);
    // Next to the package's sources, so they are ES modules and resolve like them.
    const files = new Map(snippets.map((code, i) => [`${root}packages/core/readme-snippet-${i}.ts`, code]));
    const config = ts.getParsedCommandLineOfConfigFile(
      `${root}tsconfig.json`,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        },
      },
    );
    if (config === undefined) throw new Error('tsconfig.json did not parse');
    const options = { ...config.options, noEmit: true };
    const host = ts.createCompilerHost(options);
    const { fileExists, readFile, getSourceFile } = host;
    host.fileExists = (f) => files.has(f) || fileExists.call(host, f);
    host.readFile = (f) => files.get(f) ?? readFile.call(host, f);
    host.getSourceFile = (f, language, ...rest) => {
      const code = files.get(f);
      return code === undefined
        ? getSourceFile.call(host, f, language, ...rest)
        : ts.createSourceFile(f, code, language);
    };
    const program = ts.createProgram({ rootNames: [...files.keys()], options, host });
    // Only the snippets are checked (the sources have their own typecheck): far quicker.
    const problems = [...files.keys()].flatMap((name, n) => {
      const file = program.getSourceFile(name);
      return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)].map((d) => {
        const at = file?.getLineAndCharacterOfPosition(d.start ?? 0);
        return `snippet ${n + 1}, line ${(at?.line ?? 0) + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
      });
    });
    expect(problems).toEqual([]);
  }, 60_000);
});
