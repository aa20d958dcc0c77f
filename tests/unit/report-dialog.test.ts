import { describe, expect, it, vi } from 'vitest';

// The Electron binary is not here: the save dialog is this stand-in, answering as the user would.
const electron = vi.hoisted(() => ({ showSaveDialog: vi.fn() }));
vi.mock('electron', () => ({ dialog: { showSaveDialog: electron.showSaveDialog } }));

const { reportSaveDialog } = await import('../../src/main/electron/report-dialog.js');

describe("the desktop app's report save dialog", () => {
  it("offers the report's name in the Downloads folder as a PDF, over the console's window, and answers the chosen path", async () => {
    const window = { id: 1 };
    electron.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: '/home/analyst/Desktop/for the lender.pdf' });
    const choose = reportSaveDialog(() => window as never, '/home/analyst/Downloads');
    expect(await choose('4600 N 68th St Unit 371, Scottsdale, AZ 85251 report.pdf')).toBe('/home/analyst/Desktop/for the lender.pdf');
    expect(electron.showSaveDialog).toHaveBeenLastCalledWith(window, {
      title: 'Save the property report',
      defaultPath: '/home/analyst/Downloads/4600 N 68th St Unit 371, Scottsdale, AZ 85251 report.pdf',
      filters: [{ name: 'PDF', extensions: ['pdf'] }],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    });
  });

  it('answers null when the user cancels, and opens on its own when no window is open', async () => {
    electron.showSaveDialog.mockResolvedValueOnce({ canceled: true, filePath: '' });
    const choose = reportSaveDialog(() => undefined, '/home/analyst/Downloads');
    expect(await choose('a report.pdf')).toBeNull();
    expect(electron.showSaveDialog.mock.lastCall).toHaveLength(1);
  });
});
