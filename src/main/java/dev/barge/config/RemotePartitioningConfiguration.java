package dev.barge.config;

import dev.barge.job.ExecutionOwnership;
import dev.barge.job.JobSupport;
import dev.barge.job.PartitionNotices;
import dev.barge.job.PartitionWorker;
import dev.barge.job.PartitionedJob;
import dev.barge.job.RemotePartitionHandler;
import dev.barge.job.RemotePartitions;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.AmqpTemplate;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.support.AmqpHeaders;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.amqp.support.converter.SimpleMessageConverter;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.integration.partition.MessageChannelPartitionHandler;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.integration.amqp.dsl.Amqp;
import org.springframework.integration.amqp.inbound.AmqpInboundChannelAdapter;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.core.MessagingTemplate;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Remote partitions over RabbitMQ, on Spring Batch's remote partitioning: in a process started with
 * {@value RemoteOnlyAutoConfigurations#ENABLED}{@code =true} ({@code --remote}, {@code barge worker}).
 *
 * <p>The manager's partitioned steps get {@link RemotePartitions}: Spring Batch's
 * {@link MessageChannelPartitionHandler} sends one {@link StepExecutionRequest} per partition on a
 * channel that Spring Integration's AMQP outbound adapter publishes to one durable queue
 * ({@code barge.remote.queue}, default {@value #DEFAULT_QUEUE}), persistent, and learns that they
 * ended by polling the job repository every {@code barge.remote.poll-interval} (no replies: a reply
 * lost with its worker would be a partition waited for forever; the repository says what happened).
 *
 * <p>A worker ({@code barge.worker.enabled=true}) consumes the queue with Spring Integration's AMQP
 * inbound adapter, {@code barge.worker.parallel} requests at once, one unacknowledged request per
 * consumer. It acknowledges a request as it takes it, before the partition runs: a partition may run
 * for hours, longer than a broker keeps a delivery unacknowledged, and a request redelivered while
 * its first worker still ran it would run it twice. A worker that dies with a partition is found by
 * its heartbeat instead ({@link RemotePartitionHandler}); the requests it had not taken go back to
 * the queue with its connection.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = RemoteOnlyAutoConfigurations.ENABLED, havingValue = "true")
@EnableIntegration
public class RemotePartitioningConfiguration {
    /** The queue of partition requests unless {@code barge.remote.queue} names another. */
    public static final String DEFAULT_QUEUE = "barge.partitions";
    /** The property that makes a process a worker: {@code barge worker} sets it. */
    public static final String WORKER = "barge.worker.enabled";
    /** The bean name of the worker's inbound adapter, which {@code barge worker} starts and stops. */
    public static final String WORKER_INBOUND = "bargeWorkerInbound";

    /** The queue every manager sends to and every worker takes from: durable, so requests outlive a broker restart. */
    @Bean
    Queue partitionRequestQueue(@Value("${barge.remote.queue:" + DEFAULT_QUEUE + "}") String queue) {
        return new Queue(queue, true);
    }

    /**
     * Requests are Spring Batch's serializable {@link StepExecutionRequest}; nothing else is ever
     * deserialized from the queue.
     */
    @Bean
    MessageConverter partitionRequestConverter() {
        SimpleMessageConverter converter = new SimpleMessageConverter();
        converter.setAllowedListPatterns(List.of(StepExecutionRequest.class.getName(), "java.lang.*"));
        return converter;
    }

    @Bean
    DirectChannel partitionRequests() {
        return new DirectChannel();
    }

    @Bean
    IntegrationFlow partitionRequestsToBroker(DirectChannel partitionRequests, AmqpTemplate amqp,
            Queue partitionRequestQueue) {
        return IntegrationFlow.from(partitionRequests)
                .handle(Amqp.outboundAdapter(amqp).routingKey(partitionRequestQueue.getName()))
                .get();
    }

    @Bean
    RemotePartitions remotePartitions(DirectChannel partitionRequests, JobRepository repository,
            ExecutionOwnership ownership, PartitionNotices notices,
            @Value("${barge.remote.poll-interval:2s}") Duration pollInterval) {
        return (rangeStepName, gridSize) -> {
            MessageChannelPartitionHandler handler = new MessageChannelPartitionHandler();
            handler.setStepName(rangeStepName);
            handler.setGridSize(gridSize);
            handler.setJobRepository(repository);
            handler.setPollInterval(pollInterval.toMillis());
            MessagingTemplate messages = new MessagingTemplate(partitionRequests);
            handler.setMessagingOperations(messages);
            try {
                handler.afterPropertiesSet();
            } catch (Exception e) {
                throw new IllegalStateException("remote partition handler: " + e.getMessage(), e);
            }
            return new RemotePartitionHandler(handler, repository, ownership, rangeStepName,
                    request -> messages.send(MessageBuilder.withPayload(request).build()), notices);
        };
    }

    /** What {@code --remote} and {@code barge worker} check before they start. */
    @Bean
    RemoteCluster remoteCluster(Environment environment, ConnectionFactory connectionFactory, Queue partitionRequestQueue) {
        return new RemoteCluster(environment, connectionFactory, partitionRequestQueue.getName());
    }

    /** The worker's side: present with {@value #WORKER}{@code =true}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = WORKER, havingValue = "true")
    static class Worker {

        @Bean
        PartitionWorker partitionWorker(List<PartitionedJob> jobs, JobSupport support, ExecutionOwnership ownership) {
            return new PartitionWorker(jobs, support, ownership);
        }

        @Bean
        SimpleMessageListenerContainer workerRequestContainer(ConnectionFactory connectionFactory,
                Queue partitionRequestQueue, @Value("${barge.worker.parallel:2}") int parallel) {
            SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
            container.setQueueNames(partitionRequestQueue.getName());
            container.setConcurrentConsumers(parallel);
            container.setPrefetchCount(1);
            container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
            container.setAutoStartup(false);
            // stopping waits for the partitions in flight, which stop after their chunk ({@link PartitionWorker#drain})
            container.setShutdownTimeout(Duration.ofMinutes(10).toMillis());
            return container;
        }

        @Bean
        DirectChannel workerRequests() {
            return new DirectChannel();
        }

        @Bean(WORKER_INBOUND)
        AmqpInboundChannelAdapter bargeWorkerInbound(SimpleMessageListenerContainer workerRequestContainer,
                MessageConverter partitionRequestConverter, DirectChannel workerRequests) {
            AmqpInboundChannelAdapter adapter = new AmqpInboundChannelAdapter(workerRequestContainer);
            adapter.setMessageConverter(partitionRequestConverter);
            adapter.setOutputChannel(workerRequests);
            adapter.setAutoStartup(false);
            return adapter;
        }

        @Bean
        IntegrationFlow workerRuns(DirectChannel workerRequests, PartitionWorker worker) {
            return IntegrationFlow.from(workerRequests)
                    .handle((Message<?> message) -> take(worker, message))
                    .get();
        }

        /** Acknowledges a request as it is taken, then runs its partition; a draining worker gives it back. */
        private static void take(PartitionWorker worker, Message<?> message) {
            Channel channel = message.getHeaders().get(AmqpHeaders.CHANNEL, Channel.class);
            Long tag = message.getHeaders().get(AmqpHeaders.DELIVERY_TAG, Long.class);
            try {
                if (worker.isDraining()) {
                    channel.basicReject(tag, true);
                    return;
                }
                channel.basicAck(tag, false);
            } catch (IOException e) {
                throw new IllegalStateException("could not acknowledge partition request " + message.getPayload()
                        + ": " + e.getMessage(), e);
            }
            try {
                worker.run((StepExecutionRequest) message.getPayload());
            } catch (RuntimeException e) {
                // taken already: there is nothing to give back, and the partition's own failure is recorded
                LoggerFactory.getLogger(PartitionWorker.class).error("partition request {} failed: {}",
                        message.getPayload(), e.toString(), e);
            }
        }
    }
}
