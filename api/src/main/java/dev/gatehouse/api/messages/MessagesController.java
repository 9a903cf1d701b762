package dev.gatehouse.api.messages;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.gatehouse.api.config.ApiProperties;

/**
 * The quickstart's endpoints. Who may call which is decided in {@code SecurityConfig}, so
 * these stay plain. The content type is set explicitly so that any {@code Accept} header
 * gets the JSON rather than a 406.
 */
@RestController
@RequestMapping("/api")
class MessagesController {

    static final Message EXTERNAL = new Message("Your access token was successfully validated!");

    static final Message PUBLIC = new Message("Hello from a public endpoint: no access token needed.");

    static final Message PRIVATE = new Message("Hello from a private endpoint: your access token is valid.");

    private final Message scoped;

    MessagesController(ApiProperties properties) {
        this.scoped = new Message("Hello from a scoped endpoint: your access token carries "
                + properties.privateScopedPermission() + ".");
    }

    @GetMapping("/external")
    ResponseEntity<Message> external() {
        return json(EXTERNAL);
    }

    @GetMapping("/public")
    ResponseEntity<Message> publicMessage() {
        return json(PUBLIC);
    }

    @GetMapping("/private")
    ResponseEntity<Message> privateMessage() {
        return json(PRIVATE);
    }

    @GetMapping("/private-scoped")
    ResponseEntity<Message> scopedMessage() {
        return json(this.scoped);
    }

    private static ResponseEntity<Message> json(Message message) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(message);
    }

    /**
     * The response body of every endpoint, as in the quickstart: {@code {"msg": "..."}}.
     */
    record Message(String msg) {
    }

}
