package dev.gatehouse.authserver.token;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.security.jackson.SecurityJacksonModules;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON mapper SAS's JDBC authorization store reads its rows with (the same Spring
 * Security modules it uses by default), remembering what recent column texts parsed to.
 *
 * <p>
 * Why: Spring Security's Jackson 3 deserializers build fresh collection deserializers, by
 * reflection, for every principal and authorization request they read; in a JFR profile
 * of the {@code refresh_token} grant that parsing was about 40% of the CPU. A refresh
 * reads the same row twice (the lookup, then {@code save} looking it up again) and the
 * {@code attributes} text (principal, authorization request) is the same for every
 * refresh of a login, so most parses repeat one seen moments ago. The result depends on
 * the text alone, so a hit is exact, and the store stays the single source of truth: each
 * read still goes to the database, only the parsing is skipped. Each caller gets its own
 * copy of the top-level map; SAS only copies from it.
 *
 * <p>
 * The memory is split in sixteen parts, each the least recently used texts of its share
 * behind a lock of its own: with more request threads than cores, one lock around all of
 * it was often held by a thread the scheduler had just paused, and the others queued
 * behind it (JFR: waits of 10 ms and more).
 *
 * <p>
 * Writing is remembered too, for the same reason: a refresh saves the row it read, and
 * SAS serializes the unchanged {@code attributes} again (4% of a refresh's Java time).
 * Each thread keeps the last few texts it read with the values they gave; a map written
 * with exactly those keys and those very value objects is written as the text they came
 * from. Values are never changed in place once parsed (the parses above are shared), so
 * the same objects still mean the same text; anything else is serialized as usual.
 */
public final class ParsedAuthorizationJson extends JsonMapper {

    private static final long serialVersionUID = 1L;

    private static final int PARTS = 16;

    private static final int READS_PER_THREAD = 8;

    private final transient List<Map<String, Map<?, ?>>> recent = new ArrayList<>(PARTS);

    /** The last texts this thread read as maps, with the values they gave. */
    private final transient ThreadLocal<Read[]> lastReads = ThreadLocal.withInitial(() -> new Read[READS_PER_THREAD]);

    public ParsedAuthorizationJson(int capacity) {
        super(JsonMapper.builder()
            .addModules(SecurityJacksonModules.getModules(JdbcOAuth2AuthorizationService.class.getClassLoader())));
        int perPart = Math.max(1, capacity / PARTS);
        for (int i = 0; i < PARTS; i++) {
            this.recent.add(new LinkedHashMap<>(perPart * 2, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Map<?, ?>> eldest) {
                    return size() > perPart;
                }
            });
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T readValue(String content, JavaType valueType) throws JacksonException {
        if (!valueType.isMapLikeType()) {
            return super.readValue(content, valueType);
        }
        Map<String, Map<?, ?>> part = this.recent.get(Math.floorMod(content.hashCode(), PARTS));
        Map<?, ?> known;
        synchronized (part) {
            known = part.get(content);
        }
        if (known == null) {
            known = super.readValue(content, valueType);
            synchronized (part) {
                part.put(content, known);
            }
        }
        Read[] reads = this.lastReads.get();
        System.arraycopy(reads, 0, reads, 1, reads.length - 1);
        reads[0] = new Read(content, known);
        return (T) new LinkedHashMap<>(known);
    }

    @Override
    public String writeValueAsString(Object value) throws JacksonException {
        if (value instanceof Map<?, ?> written) {
            for (Read read : this.lastReads.get()) {
                if (read != null && read.gave(written)) {
                    return read.content();
                }
            }
        }
        return super.writeValueAsString(value);
    }

    /** A text read on this thread and the map it parsed to. */
    private record Read(String content, Map<?, ?> values) {

        /** Whether {@code map} holds the same keys with these very value objects. */
        boolean gave(Map<?, ?> map) {
            if (map.size() != this.values.size()) {
                return false;
            }
            for (Map.Entry<?, ?> entry : this.values.entrySet()) {
                Object value = map.get(entry.getKey());
                if (value != entry.getValue() || (value == null && !map.containsKey(entry.getKey()))) {
                    return false;
                }
            }
            return true;
        }

    }

}
