package dev.barge.config;

import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;

/**
 * Makes the job repository's DataSource hand out connections lazily, so that no chunk transaction
 * holds a database connection (or an open transaction at the database) while its objects are
 * copied.
 *
 * <p>A chunk runs in one transaction: the reads, the copies and the commit of the totals and the
 * position. Spring Batch begins it before the first read. With a plain pool that takes a
 * connection and keeps a transaction open at the database ("idle in transaction" on PostgreSQL)
 * for as long as the slowest copy of the chunk takes. Behind a {@link LazyConnectionDataSourceProxy}
 * the transaction begins without one: the physical connection is taken at the first statement,
 * which comes after the copies (the chunk's totals, then Spring Batch's update of the step and its
 * position), and given back at the commit. What commits together still commits together.
 */
final class LazyJobConnections implements BeanPostProcessor {

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource dataSource && !(bean instanceof LazyConnectionDataSourceProxy)) {
            return new Closing(dataSource);
        }
        return bean;
    }

    /** The proxy, closing the pool behind it when the context closes (as the pool bean would be). */
    static final class Closing extends LazyConnectionDataSourceProxy implements AutoCloseable {
        Closing(DataSource target) {
            super(target);
        }

        @Override
        public void close() throws Exception {
            if (obtainTargetDataSource() instanceof AutoCloseable pool) {
                pool.close();
            }
        }
    }
}
