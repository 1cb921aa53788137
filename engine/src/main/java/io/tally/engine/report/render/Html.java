package io.tally.engine.report.render;

import java.util.List;

/** A small HTML writer: every text it is given is escaped, so report values (keys, SQL, messages) stay text. */
final class Html {

    private final StringBuilder out = new StringBuilder();

    static String esc(Object value) {
        if (value == null) {
            return "<span class=\"null\">NULL</span>";
        }
        String s = value.toString();
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A table cell linking to an anchor of this page: its text is escaped, the anchor is built here. */
    record Link(String text, String anchor) {
    }

    /** Raw markup, written as given (only for markup this package builds). */
    Html raw(String markup) {
        out.append(markup);
        return this;
    }

    /** An element holding escaped text: {@code tag} may carry attributes, e.g. {@code td class="n"}. */
    Html text(String tag, Object value) {
        String name = tag.split(" ", 2)[0];
        out.append('<').append(tag).append('>').append(esc(value)).append("</").append(name).append('>');
        return this;
    }

    /** A table of escaped cells with a header row; numbers are right-aligned. */
    Html table(String cssClass, List<String> head, List<List<Object>> rows) {
        out.append("<table class=\"").append(cssClass).append("\"><thead><tr>");
        head.forEach(h -> text("th", h));
        out.append("</tr></thead><tbody>");
        for (List<Object> row : rows) {
            out.append("<tr>");
            for (Object cell : row) {
                if (cell instanceof Link l) {
                    out.append("<td><a href=\"#").append(esc(l.anchor())).append("\">").append(esc(l.text()))
                            .append("</a></td>");
                } else {
                    text(cell instanceof Number ? "td class=\"n\"" : "td", cell);
                }
            }
            out.append("</tr>");
        }
        out.append("</tbody></table>");
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
