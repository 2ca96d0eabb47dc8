package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A one-page PDF for {@code GET /invoice/{id}/pdf}: number, customer, dates, lines and totals as text. */
final class InvoicePdf {
    private InvoicePdf() {
    }

    static byte[] render(JsonNode invoice) {
        List<String> text = new ArrayList<>();
        text.add("Invoice " + nz(Json.text(invoice, "DocNumber")));
        text.add("Customer: " + nz(Json.text(invoice.path("CustomerRef"), "name")));
        text.add("Date: " + nz(Json.text(invoice, "TxnDate")) + "   Due: " + nz(Json.text(invoice, "DueDate")));
        for (JsonNode l : invoice.path("Line")) {
            if ("SalesItemLineDetail".equals(Json.text(l, "DetailType"))) {
                text.add(nz(Json.text(l, "Description")) + "  " + nz(Json.text(l, "Amount")));
            }
        }
        text.add("Total: " + nz(Json.text(invoice, "TotalAmt")) + "   Balance due: " + nz(Json.text(invoice, "Balance")));

        StringBuilder content = new StringBuilder("BT /F1 12 Tf 72 740 Td 16 TL");
        for (String line : text) {
            content.append(" (").append(escape(line)).append(") Tj T*");
        }
        content.append(" ET");
        String stream = content.toString();
        String[] objects = {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
                    + " /Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length " + stream.getBytes(StandardCharsets.ISO_8859_1).length + " >>\nstream\n" + stream
                    + "\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        };
        StringBuilder pdf = new StringBuilder("%PDF-1.4\n");
        int[] offsets = new int[objects.length];
        for (int i = 0; i < objects.length; i++) {
            offsets[i] = pdf.length();
            pdf.append(i + 1).append(" 0 obj\n").append(objects[i]).append("\nendobj\n");
        }
        int xref = pdf.length();
        pdf.append("xref\n0 ").append(objects.length + 1).append("\n0000000000 65535 f \n");
        for (int off : offsets) {
            pdf.append(String.format("%010d 00000 n \n", off));
        }
        pdf.append("trailer\n<< /Size ").append(objects.length + 1).append(" /Root 1 0 R >>\nstartxref\n")
                .append(xref).append("\n%%EOF\n");
        return pdf.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** Keeps the text within Latin-1 and escapes PDF string delimiters. */
    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '(' || c == ')' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 32 || c > 255) {
                sb.append('?');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
