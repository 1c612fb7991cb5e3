// Everything past the first screen (editor, details, dialogs, the other views) loads on first
// use, or as soon as the first rows are up: the first screen waits only for the list.

let hooks = {};
let loading;
let loaded = null;

/** What the features need from the list (`refresh`, `onSaved`); set once by the entry. */
export function setFeatureHooks(value) {
  hooks = value;
}

/** Loads and sets up the features once; resolves to their module. */
export function loadFeatures() {
  loading ??= import("./features.js").then(
    async (module) => {
      await module.setUpFeatures(hooks);
      loaded = module;
      return module;
    },
    (error) => {
      // The next click tries again (a network blip must not leave the page without its dialogs).
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** The features' module if it has loaded, else null (nothing of theirs is on screen yet). */
export const loadedFeatures = () => loaded;
