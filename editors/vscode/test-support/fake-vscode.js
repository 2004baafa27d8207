// A stand-in for the `vscode` module so the real vscode-languageclient runs in plain Node.
// Module._load is wrapped to return it for require('vscode'). Everything not defined below is a
// recursive Proxy: any property, call or `new` gives another Proxy, so the client's feature
// registration (providers, events, status items) runs without an editor behind it.
'use strict';
const Module = require('node:module');

function deep(name) {
  const cache = new Map();
  const target = function () {};
  return new Proxy(target, {
    get(_t, prop) {
      if (prop === 'then') return undefined; // not a thenable
      if (typeof prop === 'symbol') {
        if (prop === Symbol.iterator) return function* () {};
        if (prop === Symbol.toPrimitive) return () => `[fake ${name}]`;
        return undefined;
      }
      if (!cache.has(prop)) cache.set(prop, deep(`${name}.${String(prop)}`));
      return cache.get(prop);
    },
    set(_t, prop, value) {
      cache.set(prop, value);
      return true;
    },
    apply() {
      return deep(`${name}()`);
    },
    construct() {
      return deep(`new ${name}`);
    },
  });
}

class Disposable {
  constructor(fn) {
    this._fn = fn;
  }
  static from(...items) {
    return new Disposable(() => items.forEach((i) => i && typeof i.dispose === 'function' && i.dispose()));
  }
  dispose() {
    if (this._fn) this._fn();
    this._fn = undefined;
  }
}

class EventEmitter {
  constructor() {
    this._listeners = new Set();
    this.event = (listener, thisArg) => {
      const l = (e) => listener.call(thisArg, e);
      this._listeners.add(l);
      return new Disposable(() => this._listeners.delete(l));
    };
  }
  fire(e) {
    for (const l of [...this._listeners]) l(e);
  }
  dispose() {
    this._listeners.clear();
  }
}

/** Installs the fake; `settings` answers workspace.getConfiguration(section).get(key). */
function installFakeVscode({ settings = {}, version = '1.99.0' } = {}) {
  const log = [];
  const noEvent = () => new Disposable();
  const fake = deep('vscode');
  const real = {
    version,
    Disposable,
    EventEmitter,
    workspace: Object.assign(deep('vscode.workspace'), {
      workspaceFolders: undefined,
      textDocuments: [],
      notebookDocuments: [],
      getConfiguration: (section) => ({
        get: (key, dflt) => {
          const full = section ? `${section}.${key}` : key;
          return Object.prototype.hasOwnProperty.call(settings, full) ? settings[full] : dflt;
        },
        has: (key) => Object.prototype.hasOwnProperty.call(settings, section ? `${section}.${key}` : key),
        inspect: () => undefined,
        update: async () => undefined,
      }),
      onDidChangeConfiguration: noEvent,
      onDidOpenTextDocument: noEvent,
      onDidCloseTextDocument: noEvent,
      onDidChangeTextDocument: noEvent,
      onDidSaveTextDocument: noEvent,
      onWillSaveTextDocument: noEvent,
      onDidChangeWorkspaceFolders: noEvent,
    }),
    window: Object.assign(deep('vscode.window'), {
      activeTextEditor: undefined,
      visibleTextEditors: [],
      showErrorMessage: async (...a) => void log.push(['error', ...a]),
      showWarningMessage: async (...a) => void log.push(['warning', ...a]),
      showInformationMessage: async (...a) => void log.push(['info', ...a]),
      onDidChangeActiveTextEditor: noEvent,
      onDidChangeVisibleTextEditors: noEvent,
    }),
  };
  for (const [k, v] of Object.entries(real)) fake[k] = v;
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    if (request === 'vscode') return fake;
    return load.call(this, request, parent, isMain);
  };
  return { vscode: fake, messages: log, uninstall: () => (Module._load = load) };
}

module.exports = { installFakeVscode, Disposable, EventEmitter };
