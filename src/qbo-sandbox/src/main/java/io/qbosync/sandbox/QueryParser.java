package io.qbosync.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses QBO's query language (fact sheet §3). Keywords are case-insensitive; strings are single-quoted
 * with {@code \'} escapes; there is no OR, no projection, no GROUP BY or JOIN. Errors are 4000 faults.
 */
final class QueryParser {
    private enum T { WORD, STRING, NUMBER, SYMBOL, EOF }

    private record Token(T type, String text, int column) {
        boolean is(String keyword) {
            return (type == T.WORD || type == T.SYMBOL) && text.equalsIgnoreCase(keyword);
        }
    }

    private final List<Token> tokens;
    private int pos;

    private QueryParser(String query) {
        this.tokens = lex(query);
    }

    static QueryStatement parse(String query) {
        if (query == null || query.isBlank()) {
            throw Faults.fault(Faults.queryParse("Encountered \"<EOF>\" at line 1, column 1. The query provided was empty"));
        }
        return new QueryParser(query).statement();
    }

    private QueryStatement statement() {
        expect("SELECT");
        boolean count;
        if (peek().is("*")) {
            next();
            count = false;
        } else if (peek().is("COUNT")) {
            next();
            expect("(");
            expect("*");
            expect(")");
            count = true;
        } else {
            throw unexpected(peek());
        }
        expect("FROM");
        Token entity = next();
        if (entity.type() != T.WORD) {
            throw unexpected(entity);
        }
        List<QueryStatement.Condition> where = new ArrayList<>();
        if (peek().is("WHERE")) {
            next();
            where.add(condition());
            while (peek().is("AND")) {
                next();
                where.add(condition());
            }
        }
        List<QueryStatement.Order> order = new ArrayList<>();
        Integer start = null;
        Integer max = null;
        while (peek().type() != T.EOF) {
            Token t = next();
            if (t.is("ORDERBY") || t.is("ORDER")) {
                if (t.is("ORDER")) {
                    expect("BY");
                }
                do {
                    Token f = next();
                    if (f.type() != T.WORD) {
                        throw unexpected(f);
                    }
                    boolean desc = false;
                    if (peek().is("DESC")) {
                        next();
                        desc = true;
                    } else if (peek().is("ASC")) {
                        next();
                    }
                    order.add(new QueryStatement.Order(f.text(), desc));
                } while (peek().is(",") && next() != null);
            } else if (t.is("STARTPOSITION")) {
                start = integer(next());
            } else if (t.is("MAXRESULTS")) {
                max = integer(next());
            } else {
                throw unexpected(t);
            }
        }
        return new QueryStatement(count, entity.text(), where, order, start, max);
    }

    private QueryStatement.Condition condition() {
        Token field = next();
        if (field.type() != T.WORD || isKeyword(field.text())) {
            throw unexpected(field);
        }
        Token op = next();
        if (op.is("IN")) {
            expect("(");
            List<QueryStatement.Value> values = new ArrayList<>();
            values.add(value());
            while (peek().is(",")) {
                next();
                values.add(value());
            }
            expect(")");
            return new QueryStatement.Condition(field.text(), "IN", values);
        }
        if (op.is("LIKE")) {
            Token v = next();
            if (v.type() != T.STRING) {
                throw unexpected(v);
            }
            return new QueryStatement.Condition(field.text(), "LIKE", List.of(new QueryStatement.Value(v.text(), true)));
        }
        if (op.type() == T.SYMBOL && List.of("=", "<", ">", "<=", ">=").contains(op.text())) {
            return new QueryStatement.Condition(field.text(), op.text(), List.of(value()));
        }
        throw unexpected(op);
    }

    private QueryStatement.Value value() {
        Token v = next();
        return switch (v.type()) {
            case STRING -> new QueryStatement.Value(v.text(), true);
            case NUMBER -> new QueryStatement.Value(v.text(), false);
            case WORD -> {
                if (v.is("true") || v.is("false")) {
                    yield new QueryStatement.Value(v.text().toLowerCase(Locale.ROOT), false);
                }
                throw unexpected(v);
            }
            default -> throw unexpected(v);
        };
    }

    private static int integer(Token t) {
        if (t.type() != T.NUMBER || t.text().contains(".") || t.text().startsWith("-")) {
            throw unexpected(t);
        }
        try {
            return Integer.parseInt(t.text());
        } catch (NumberFormatException e) {
            throw unexpected(t);
        }
    }

    private static boolean isKeyword(String w) {
        return switch (w.toUpperCase(Locale.ROOT)) {
            case "SELECT", "FROM", "WHERE", "AND", "OR", "IN", "LIKE", "ORDERBY", "STARTPOSITION", "MAXRESULTS" -> true;
            default -> false;
        };
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.type() != T.EOF) {
            pos++;
        }
        return t;
    }

    private void expect(String text) {
        Token t = next();
        if (!t.is(text)) {
            throw unexpected(t);
        }
    }

    private static QboFault unexpected(Token t) {
        String shown = t.type() == T.EOF ? "<EOF>" : t.type() == T.STRING ? "'" + t.text() + "'" : t.text();
        return Faults.fault(Faults.queryParse("Encountered \"" + shown + "\" at line 1, column " + t.column() + "."));
    }

    private static List<Token> lex(String q) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = q.length();
        while (i < n) {
            char ch = q.charAt(i);
            int col = i + 1;
            if (Character.isWhitespace(ch)) {
                i++;
            } else if (ch == '\'') {
                StringBuilder sb = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = q.charAt(i);
                    if (c == '\\' && i + 1 < n) {
                        sb.append(q.charAt(i + 1));
                        i += 2;
                    } else if (c == '\'') {
                        closed = true;
                        i++;
                        break;
                    } else {
                        sb.append(c);
                        i++;
                    }
                }
                if (!closed) {
                    throw Faults.fault(Faults.queryParse("Lexical error at line 1, column " + (n + 1)
                            + ".  Encountered: <EOF> after : \"'" + sb + "\""));
                }
                // A quote right after a closed string means an unescaped quote inside the value.
                if (i < n && (Character.isLetterOrDigit(q.charAt(i)) || q.charAt(i) == '\'')) {
                    throw Faults.fault(Faults.queryParse("Encountered \"" + q.charAt(i) + "\" at line 1, column "
                            + (i + 1) + "."));
                }
                out.add(new Token(T.STRING, sb.toString(), col));
            } else if (Character.isDigit(ch) || (ch == '-' && i + 1 < n && Character.isDigit(q.charAt(i + 1)))) {
                int start = i;
                i++;
                while (i < n && (Character.isDigit(q.charAt(i)) || q.charAt(i) == '.')) {
                    i++;
                }
                out.add(new Token(T.NUMBER, q.substring(start, i), col));
            } else if (Character.isLetter(ch) || ch == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(q.charAt(i)) || q.charAt(i) == '_' || q.charAt(i) == '.')) {
                    i++;
                }
                out.add(new Token(T.WORD, q.substring(start, i), col));
            } else if (ch == '<' || ch == '>') {
                if (i + 1 < n && q.charAt(i + 1) == '=') {
                    out.add(new Token(T.SYMBOL, ch + "=", col));
                    i += 2;
                } else {
                    out.add(new Token(T.SYMBOL, String.valueOf(ch), col));
                    i++;
                }
            } else if ("=*(),".indexOf(ch) >= 0) {
                out.add(new Token(T.SYMBOL, String.valueOf(ch), col));
                i++;
            } else {
                throw Faults.fault(Faults.queryParse("Lexical error at line 1, column " + col + ".  Encountered: \""
                        + ch + "\""));
            }
        }
        out.add(new Token(T.EOF, "", n + 1));
        return out;
    }
}
