// Where the CarbonLsp server comes from. Pure: the file system and platform are passed in, so the
// order can be unit-tested. Order: the `carbonlsp.server.path` setting; a self-contained server
// bundled in the extension at server/<rid>/carbonlsp[.exe]; for development, `dotnet` with the
// dll built in this repository (../../src/CarbonLsp/bin/{Release,Debug}/net10.0/carbonlsp.dll).

export type ServerSource = 'setting' | 'bundled' | 'development';

export interface ServerLaunch {
  source: ServerSource;
  /** The executable to start (`dotnet` for a .dll). */
  command: string;
  /** Arguments before the transport flag that vscode-languageclient appends (`--stdio`). */
  args: string[];
  /** The server file that was found. */
  path: string;
}

export interface ResolveInput {
  /** Value of `carbonlsp.server.path`; empty or undefined means not set. */
  settingPath?: string;
  /** Value of `carbonlsp.server.dotnetPath`; default `dotnet`. */
  dotnetPath?: string;
  /** The extension's install folder (context.extensionPath). */
  extensionPath: string;
  platform: string; // process.platform
  arch: string; // process.arch
  exists: (path: string) => boolean;
  /** Last-write time in ms; when given, the newer of the Release and Debug builds is used. */
  modifiedTime?: (path: string) => number;
  /** Expands `~` and `${workspaceFolder}` in the setting. */
  workspaceFolder?: string;
  home?: string;
}

export type ResolveResult = { ok: true; server: ServerLaunch; tried: string[] } | { ok: false; error: string; tried: string[] };

/** .NET runtime identifier of the bundled server folder: linux-x64, linux-arm64, osx-arm64, win-x64... */
export function runtimeIdentifier(platform: string, arch: string): string {
  const os = platform === 'win32' ? 'win' : platform === 'darwin' ? 'osx' : platform === 'linux' ? 'linux' : platform;
  const cpu = arch === 'x64' ? 'x64' : arch === 'arm64' ? 'arm64' : arch === 'ia32' ? 'x86' : arch === 'arm' ? 'arm' : arch;
  return `${os}-${cpu}`;
}

/** File name of the self-contained executable on a platform. */
export function executableName(platform: string): string {
  return platform === 'win32' ? 'carbonlsp.exe' : 'carbonlsp';
}

function join(sep: string, ...parts: string[]): string {
  return parts
    .map((p, i) => (i === 0 ? p.replace(/[\\/]+$/, '') : p.replace(/^[\\/]+|[\\/]+$/g, '')))
    .filter((p) => p.length > 0)
    .join(sep);
}

/** Removes `a/..` pairs so messages show clean paths. */
function normalize(path: string, sep: string): string {
  const parts = path.split(/[\\/]/);
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..' && out.length > 0 && out[out.length - 1] !== '..' && out[out.length - 1] !== '') out.pop();
    else if (p !== '.') out.push(p);
  }
  return out.join(sep);
}

function launchFor(source: ServerSource, path: string, dotnet: string): ServerLaunch {
  return /\.dll$/i.test(path)
    ? { source, command: dotnet, args: [path, 'serve'], path }
    : { source, command: path, args: ['serve'], path };
}

export function resolveServer(input: ResolveInput): ResolveResult {
  const sep = input.platform === 'win32' ? '\\' : '/';
  const dotnet = input.dotnetPath && input.dotnetPath.trim() ? input.dotnetPath.trim() : 'dotnet';
  const tried: string[] = [];

  const setting = (input.settingPath ?? '').trim();
  if (setting) {
    let p = setting;
    if (input.home && (p === '~' || p.startsWith('~/') || p.startsWith('~\\'))) p = input.home + p.slice(1);
    if (input.workspaceFolder) p = p.replace(/\$\{workspaceFolder\}/g, input.workspaceFolder);
    tried.push(p);
    if (!input.exists(p)) {
      return { ok: false, tried, error: `The setting carbonlsp.server.path points at "${p}", which does not exist.` };
    }
    return { ok: true, server: launchFor('setting', p, dotnet), tried };
  }

  const bundled = join(sep, input.extensionPath, 'server', runtimeIdentifier(input.platform, input.arch), executableName(input.platform));
  tried.push(bundled);
  if (input.exists(bundled)) return { ok: true, server: launchFor('bundled', bundled, dotnet), tried };

  // Development: Release, then Debug; when both exist, the one built last (a stale Release build
  // must not shadow the Debug build being worked on).
  const builds: string[] = [];
  for (const config of ['Release', 'Debug']) {
    const dll = normalize(join(sep, input.extensionPath, '..', '..', 'src', 'CarbonLsp', 'bin', config, 'net10.0', 'carbonlsp.dll'), sep);
    tried.push(dll);
    if (input.exists(dll)) builds.push(dll);
  }
  if (builds.length > 0) {
    const mtime = input.modifiedTime;
    const pick = mtime && builds.length > 1 && mtime(builds[1]) > mtime(builds[0]) ? builds[1] : builds[0];
    return { ok: true, server: launchFor('development', pick, dotnet), tried };
  }

  return {
    ok: false,
    tried,
    error:
      `No CarbonLsp server found for ${runtimeIdentifier(input.platform, input.arch)}. ` +
      'Set carbonlsp.server.path to the carbonlsp executable (or carbonlsp.dll), or install an extension build that bundles the server.',
  };
}
