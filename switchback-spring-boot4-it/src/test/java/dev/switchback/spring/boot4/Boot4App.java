package dev.switchback.spring.boot4;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** A Spring Boot 4 service: web MVC, JPA (validating the schema), actuator, and Switchback's starter in place of Flyway's. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class Boot4App {
    @RestController
    static class Items {
        private final ItemRepository items;

        Items(ItemRepository items) {
            this.items = items;
        }

        @GetMapping("/items")
        List<String> names() {
            return items.findAll().stream().map(Item::getName).toList();
        }
    }
}
