package dev.gatehouse.api.error;

import java.io.IOException;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.cors.DefaultCorsProcessor;

/**
 * Spring's CORS checks, with the refusal in this API's JSON error shape: Spring's own is
 * the text {@code Invalid CORS request} without a content type, where every other answer
 * of the API is a small JSON object. Only the refusal is ours; which origins, methods and
 * headers pass stays Spring's decision.
 */
public final class JsonCorsRejection extends DefaultCorsProcessor {

    @Override
    protected void rejectRequest(ServerHttpResponse response) throws IOException {
        if (response instanceof ServletServerHttpResponse servlet) {
            int status = HttpStatus.FORBIDDEN.value();
            ErrorResponses.write(servlet.getServletResponse(), status, JsonErrorController.errorCode(status),
                    "This origin may not call this API");
            return;
        }
        super.rejectRequest(response);
    }

}
