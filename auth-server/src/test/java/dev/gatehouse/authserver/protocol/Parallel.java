package dev.gatehouse.authserver.protocol;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Fires the same request from several threads released at one instant, as a racing client
 * (or an attacker replaying a stolen grant) does, and collects every answer.
 */
final class Parallel {

    private Parallel() {
    }

    static List<HttpResponse<String>> times(int count, Supplier<HttpResponse<String>> request) {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch ready = new CountDownLatch(count);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return request.get();
                }));
            }
            ready.await(10, TimeUnit.SECONDS);
            go.countDown();
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> future : futures) {
                responses.add(future.get(60, TimeUnit.SECONDS));
            }
            return responses;
        }
        catch (Exception ex) {
            throw new IllegalStateException("A parallel request failed", ex);
        }
        finally {
            pool.shutdownNow();
        }
    }

    static long count(List<HttpResponse<String>> responses, int status) {
        return responses.stream().filter((r) -> r.statusCode() == status).count();
    }

}
