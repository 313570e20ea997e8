# barge serve in a container: the same jar CI tests. Build it first, then the image:
#   ./mvnw -B package && docker compose up --build
# (the Spring Boot jar of `./mvnw package`, target/barge.jar; nothing is compiled in the image)
FROM eclipse-temurin:17-jre

RUN groupadd --system barge && useradd --system --gid barge --home-dir /var/lib/barge barge \
    && mkdir -p /var/lib/barge/backup /jobs && chown -R barge:barge /var/lib/barge
COPY target/barge.jar /opt/barge/barge.jar

USER barge
WORKDIR /var/lib/barge
# the embedded job repository's default home and barge.log; docker-compose.yml points the job
# repository at PostgreSQL instead (BARGE_DB_URL)
ENV BARGE_HOME=/var/lib/barge \
    BARGE_JOBS_DIR=/jobs
EXPOSE 8080

ENTRYPOINT ["java", "-jar", "/opt/barge/barge.jar"]
CMD ["serve", "--bind", "0.0.0.0", "--port", "8080"]
