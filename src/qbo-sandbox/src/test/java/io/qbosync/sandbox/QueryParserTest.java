package io.qbosync.sandbox;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The query parser on its own: grammar, literals, escapes and error codes. */
class QueryParserTest {

    @Test
    void parsesFullStatement() {
        QueryStatement q = QueryParser.parse("select * FROM Customer where DisplayName LIKE 'Ac%' and Active IN (true, false)"
                + " orderby DisplayName DESC, Id STARTPOSITION 3 maxresults 10");
        assertThat(q.count()).isFalse();
        assertThat(q.entity()).isEqualTo("Customer");
        assertThat(q.where()).hasSize(2);
        assertThat(q.where().get(0).op()).isEqualTo("LIKE");
        assertThat(q.where().get(1).values()).extracting(QueryStatement.Value::text).containsExactly("true", "false");
        assertThat(q.orderBy()).extracting(QueryStatement.Order::descending).containsExactly(true, false);
        assertThat(q.startPosition()).isEqualTo(3);
        assertThat(q.maxResults()).isEqualTo(10);
    }

    @Test
    void countAndEscapes() {
        QueryStatement q = QueryParser.parse("SELECT COUNT(*) FROM Invoice WHERE DocNumber = 'It\\'s' AND TotalAmt >= 10.5");
        assertThat(q.count()).isTrue();
        assertThat(q.where().get(0).values().get(0).text()).isEqualTo("It's");
        assertThat(q.where().get(1).op()).isEqualTo(">=");
        assertThat(q.where().get(1).values().get(0).quoted()).isFalse();
    }

    @Test
    void rejectsWhatQboRejects() {
        for (String bad : new String[] {
            "", "select DisplayName from Customer", "select * from Customer where a = 'x' or b = 'y'",
            "select * from Customer where a = 'unterminated", "select * from Customer where a != 'x'",
            "select * from Customer where a = bare", "select * from Customer group by a",
            "select * from Customer maxresults -1", "select * from Customer where DisplayName = 'a'b'"}) {
            assertThatThrownBy(() -> QueryParser.parse(bad)).as(bad)
                    .isInstanceOfSatisfying(QboFault.class, f -> assertThat(f.firstCode()).isEqualTo("4000"));
        }
    }

    @Test
    void likeMatchesPercentOnly() {
        assertThat(QueryEngine.like("acme ltd", "ac%")).isTrue();
        assertThat(QueryEngine.like("acme ltd", "%ltd")).isTrue();
        assertThat(QueryEngine.like("acme ltd", "%me l%")).isTrue();
        assertThat(QueryEngine.like("acme ltd", "a_me%")).isFalse();
        assertThat(QueryEngine.like("abc", "abc")).isTrue();
        assertThat(QueryEngine.like("ab", "a%b%c")).isFalse();
    }
}
