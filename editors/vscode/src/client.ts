// Builds the LanguageClient for a resolved server. Separate from extension.ts so the integration
// test can start the real vscode-languageclient against the real server with a stubbed `vscode`.
import * as vscode from 'vscode';
import {
  CloseAction,
  CloseHandlerResult,
  ErrorAction,
  ErrorHandler,
  ErrorHandlerResult,
  LanguageClient,
  LanguageClientOptions,
  Middleware,
  RevealOutputChannelOn,
  ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import type { ServerLaunch } from './serverPath';
import { serverEnvironment } from './secrets';
import { answerConfiguration, toServerSettings } from './settings';

export const clientId = 'carbonlsp';
export const clientName = 'CarbonLsp';

/** The documents the server handles: any file whose name ends in .prompts.json. */
export const documentSelector = [
  { scheme: 'file', pattern: '**/*.prompts.json' },
  { scheme: 'untitled', language: 'carbon-prompts' },
  { language: 'carbon-prompts' },
];

export interface ClientHooks {
  outputChannel?: vscode.LogOutputChannel;
  traceOutputChannel?: vscode.LogOutputChannel;
  /** Reads `carbonlsp.<key>`; defaults to workspace.getConfiguration('carbonlsp'). */
  getSetting?: (key: string) => unknown;
  /** Extra middleware (showDocument for images, executeCommand for the footprint lens). */
  middleware?: Middleware;
  /** Told when the server stops for good or keeps crashing. */
  onCrash?: (message: string, final: boolean) => void;
  /** Restarts allowed in three minutes before giving up. */
  maxRestarts?: number;
  /** Credentials from the secret storage, by key (secrets.ts): they reach the server as environment variables. */
  secrets?: Record<string, string | undefined>;
}

export function serverOptions(server: ServerLaunch, secrets: Record<string, string | undefined> = {}): ServerOptions {
  const exe = { command: server.command, args: server.args, transport: TransportKind.stdio, options: { env: serverEnvironment(process.env, secrets) } };
  return { run: exe, debug: exe };
}

/** Restarts a crashed server a few times, telling the user each time; then stops and says so. */
export class CrashHandler implements ErrorHandler {
  private restarts: number[] = [];
  constructor(
    private readonly max: number,
    private readonly notify: (message: string, final: boolean) => void,
    private readonly now: () => number = Date.now,
  ) {}

  error(_error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
    if (count !== undefined && count <= 3) return { action: ErrorAction.Continue, handled: true };
    return { action: ErrorAction.Shutdown, handled: true };
  }

  closed(): CloseHandlerResult {
    const t = this.now();
    this.restarts = this.restarts.filter((r) => t - r < 3 * 60_000);
    this.restarts.push(t);
    if (this.restarts.length > this.max) {
      const message = `The CarbonLsp server stopped ${this.restarts.length} times in 3 minutes and will not be restarted.`;
      this.notify(message, true);
      return { action: CloseAction.DoNotRestart, handled: true, message };
    }
    this.notify('The CarbonLsp server stopped unexpectedly and is being restarted.', false);
    return { action: CloseAction.Restart, handled: true };
  }
}

export function createLanguageClient(server: ServerLaunch, hooks: ClientHooks = {}): LanguageClient {
  const get = hooks.getSetting ?? ((key: string) => vscode.workspace.getConfiguration('carbonlsp').get(key));
  const middleware: Middleware = {
    ...hooks.middleware,
    workspace: {
      ...hooks.middleware?.workspace,
      // Our section is mapped (no empty values, no extension-only keys); other sections as usual.
      configuration: async (params, token, next) => {
        const others = await next(params, token);
        if (!Array.isArray(others)) return others;
        return answerConfiguration(params.items, () => toServerSettings(get), (_s) => undefined).map((v, i) =>
          params.items[i].section === 'carbonlsp' ? v : others[i],
        );
      },
    },
  };
  const options: LanguageClientOptions = {
    documentSelector,
    synchronize: { configurationSection: 'carbonlsp' },
    initializationOptions: toServerSettings(get),
    outputChannel: hooks.outputChannel,
    traceOutputChannel: hooks.traceOutputChannel,
    revealOutputChannelOn: RevealOutputChannelOn.Never, // we show our own notification with a Show Log button
    errorHandler: new CrashHandler(hooks.maxRestarts ?? 4, hooks.onCrash ?? (() => undefined)),
    middleware,
  };
  return new LanguageClient(clientId, clientName, serverOptions(server, hooks.secrets), options);
}
