package dev.gatehouse.api.error;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.apache.tomcat.util.res.StringManager;

/**
 * Tomcat's error report for requests that never reach Spring, above all a request head
 * larger than {@code server.max-http-request-header-size} (e.g. a 64 KB token): the API's
 * JSON shape instead of Tomcat's HTML page, and 431 (RFC 6585) instead of Tomcat's
 * generic 400 when the head is too large.
 * <p>
 * Hand-written because Tomcat's own {@code JsonErrorReportValve} prints exception
 * messages and stack frames, and Spring Boot has no hook for errors raised while Tomcat
 * parses the request.
 */
public class HeadErrorReportValve extends ErrorReportValve {

    /**
     * Tomcat's own message for this failure, looked up the way Tomcat looks it up (same
     * locale).
     */
    private static final String HEAD_TOO_LARGE = StringManager.getManager("org.apache.coyote.http11")
        .getString("iib.requestheadertoolarge.error");

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        if (status == 400 && throwable instanceof IllegalArgumentException
                && HEAD_TOO_LARGE.equals(throwable.getMessage())) {
            status = 431;
            response.setStatus(status);
        }
        String body = "{\"error\":\"" + JsonErrorController.errorCode(status) + "\",\"error_description\":\""
                + ErrorResponses.escape(JsonErrorController.description(status)) + "\"}";
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        }
        catch (IOException | IllegalStateException ex) {
            // The client is gone or the response is committed: nothing more to tell it.
        }
    }

}
