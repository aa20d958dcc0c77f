import { useContractMutation } from '../../api/use-bridge.js';
import { ActionError } from '../../ui/state.js';

/** Hands the browser `base64` (a PDF) as a download named `filename`. */
function downloadPdf(filename: string, base64: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * "Report (PDF)": the property's report (`properties.report`, issue #23). The desktop app asks
 * where to save it and says where it went; in a browser the console downloads the file it answers.
 */
export function ReportButton({ id }: { id: string }) {
  const report = useContractMutation('properties.report');
  const r = report.data;
  return (
    <>
      <button
        type="button"
        className="secondary"
        disabled={report.isPending}
        onClick={() => report.mutate({ id }, { onSuccess: (answer) => answer.delivered === 'attached' && downloadPdf(answer.filename, answer.pdf_base64) })}
      >
        Report (PDF)
      </button>
      {report.isPending && <span role="status">Making the report…</span>}
      {r && (
        <span role="status" data-testid="report-status">
          {r.delivered === 'saved' ? `Report saved to ${r.path}.` : r.delivered === 'canceled' ? 'Report not saved.' : `Report downloaded as ${r.filename}.`}
        </span>
      )}
      <ActionError error={report.error} what="The report" />
    </>
  );
}
