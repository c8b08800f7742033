"""双报告 (dual report) documents: report jobs, their content, rendering (PDF/JSON/XLSX), verification."""
