// Calls `onChange` when a config file changes (debounced: editors write in several steps).
// The folder is watched, not the file: editors often replace the file by a rename.
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

/** Returns the function that stops watching. Some file systems cannot be watched: then nothing happens. */
export function watchConfigFile(file: string, onChange: () => void): () => void {
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    watcher = watch(dirname(file), (_event, name) => {
      if (name !== null && name !== basename(file)) return;
      clearTimeout(timer);
      timer = setTimeout(onChange, 200);
    });
  } catch {
    // Not watchable: a restart (or SIGHUP, for the org file) still reads it.
  }
  return () => {
    clearTimeout(timer);
    watcher?.close();
  };
}
