import path from 'node:path';
import { dialog, type BrowserWindow, type SaveDialogOptions } from 'electron';
import type { ReportPathChooser } from '../reports/report-delivery.js';

/**
 * The desktop app's way to save a property report: Electron's save dialog, over `parent()`'s
 * window when one is open, offering the report's name in `folder` (the user's Downloads) as a
 * PDF; answers the chosen path, or null when the user canceled. The core writes the file.
 */
export function reportSaveDialog(parent: () => BrowserWindow | undefined, folder: string): ReportPathChooser {
  return async (suggestedName) => {
    const options: SaveDialogOptions = {
      title: 'Save the property report',
      defaultPath: path.join(folder, suggestedName),
      filters: [{ name: 'PDF', extensions: ['pdf'] }],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    };
    const window = parent();
    const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? null : result.filePath;
  };
}
