package dev.switchback.spring.boot4;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The table V1 creates; Hibernate validates it at start-up (ddl-auto=validate). */
@Entity
@Table(name = "items")
public class Item {
    @Id
    private Integer id;
    @Column(nullable = false, length = 100)
    private String name;

    public Integer getId() {
        return id;
    }

    public String getName() {
        return name;
    }
}
