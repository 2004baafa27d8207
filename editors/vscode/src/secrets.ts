// Grid provider credentials (issue 21) kept in VS Code's secret storage (the OS keychain), never in settings:
// settings sync, settings.json and the workspace would carry them. The server reads them from its environment,
// so they are handed to the server process as environment variables when it starts, and nowhere else (not in
// initializationOptions, not in workspace/configuration answers, never logged).

/** One credential: its secret-storage key, the environment variable the server reads, and its label. */
export interface GridSecret {
  key: string;
  env: string;
  label: string;
  password: boolean;
}

export const gridSecrets: GridSecret[] = [
  { key: 'carbonlsp.electricityMapsToken', env: 'CARBONLSP_ELECTRICITYMAPS_TOKEN', label: 'Electricity Maps API token', password: true },
  { key: 'carbonlsp.wattTimeUser', env: 'CARBONLSP_WATTTIME_USER', label: 'WattTime user name', password: false },
  { key: 'carbonlsp.wattTimePassword', env: 'CARBONLSP_WATTTIME_PASSWORD', label: 'WattTime password', password: true },
];

/** The server's environment: the editor's own, then each stored credential (a stored one wins over a variable
 *  of the same name, since the user set it in this editor). Empty values are left out. */
export function serverEnvironment(base: NodeJS.ProcessEnv, stored: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, DOTNET_CLI_TELEMETRY_OPTOUT: '1' };
  for (const s of gridSecrets) {
    const value = stored[s.key];
    if (value && value.trim()) env[s.env] = value.trim();
  }
  return env;
}

/** Which credentials are stored, by label only (for messages: a value is never shown). */
export function storedLabels(stored: Record<string, string | undefined>): string[] {
  return gridSecrets.filter((s) => stored[s.key]?.trim()).map((s) => s.label);
}
