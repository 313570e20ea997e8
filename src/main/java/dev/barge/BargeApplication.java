package dev.barge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the {@code barge} executable. */
@SpringBootApplication
public class BargeApplication {
    public static void main(String[] args) {
        SpringApplication.run(BargeApplication.class, args);
    }
}
