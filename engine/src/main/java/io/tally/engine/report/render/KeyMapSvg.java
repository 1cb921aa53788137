package io.tally.engine.report.render;

import io.tally.engine.report.KeyMap;

/**
 * The key map as an inline SVG bar chart: the key range from low to high along the x axis, one stacked bar per
 * part holding differences (missing red, extra amber, changed blue), heights relative to the fullest part.
 */
final class KeyMapSvg {

    static final int WIDTH = 720;
    static final int HEIGHT = 140;

    private KeyMapSvg() {
    }

    static String render(KeyMap map) {
        long most = 1;
        for (KeyMap.Bucket b : map.differing()) {
            most = Math.max(most, b.missing() + b.extra() + b.changed());
        }
        double slot = (double) WIDTH / map.buckets();
        int plot = HEIGHT - 24;
        StringBuilder s = new StringBuilder();
        s.append("<svg class=\"keymap\" role=\"img\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\"><title>")
                .append(Html.esc("where the differences sit in " + map.column() + " from " + map.low() + " to "
                        + map.high())).append("</title>");
        s.append("<line x1=\"0\" y1=\"").append(plot).append("\" x2=\"").append(WIDTH).append("\" y2=\"").append(plot)
                .append("\" class=\"axis\"/>");
        for (KeyMap.Bucket b : map.differing()) {
            double x = b.index() * slot;
            double y = plot;
            long[] parts = {b.missing(), b.extra(), b.changed()};
            String[] kinds = {"missing", "extra", "changed"};
            for (int k = 0; k < 3; k++) {
                if (parts[k] == 0) {
                    continue;
                }
                double h = Math.max(2, (plot - 4) * (double) parts[k] / most);
                y -= h;
                s.append(String.format(java.util.Locale.ROOT,
                        "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%s</title></rect>",
                        kinds[k], x + 0.5, y, Math.max(1, slot - 1), h, Html.esc(parts[k] + " " + kinds[k] + " in ["
                                + b.from() + ", " + b.to() + ")")));
            }
        }
        s.append("<text x=\"0\" y=\"").append(HEIGHT - 6).append("\" class=\"tick\">").append(Html.esc(map.low()))
                .append("</text><text x=\"").append(WIDTH).append("\" y=\"").append(HEIGHT - 6)
                .append("\" class=\"tick end\">").append(Html.esc(map.high())).append("</text><text x=\"")
                .append(WIDTH / 2).append("\" y=\"").append(HEIGHT - 6).append("\" class=\"tick mid\">")
                .append(Html.esc(map.column())).append("</text></svg>");
        return s.toString();
    }
}
